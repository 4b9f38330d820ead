using System.Reflection;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Moq.Protected;
using RecordingFunctions.Pipeline;

namespace RecordingFunctions.Tests.Pipeline;

/// <summary>
/// A mocked orchestration context that plays a script: the 100ms events that arrive (null = a wait that times out)
/// and how each activity answers. It records every activity call, timer and custom status.
/// </summary>
internal sealed class ScriptedOrchestration
{
    private readonly Queue<PipelineEvent?> events = new();
    private readonly Dictionary<string, Func<object?, object>> activities = new();
    private bool timerFired;

    public ScriptedOrchestration()
    {
        Context = new Mock<TaskOrchestrationContext> { CallBase = true };
        Context.SetupGet(c => c.InstanceId).Returns("0123456789abcdef01234567-00000000000000000000000000000001");
        Context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => Now);
        Context.SetupGet(c => c.IsReplaying).Returns(false);
        Context.Protected().SetupGet<ILoggerFactory>("LoggerFactory").Returns(NullLoggerFactory.Instance);
        Context.Setup(c => c.SetCustomStatus(It.IsAny<object?>()))
            .Callback<object?>(status => Statuses.Add((PipelineRecord)status!));
        Context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns<DateTime, CancellationToken>(OnTimer);
        Context.Setup(c => c.WaitForExternalEvent<PipelineEvent>(PipelineEvent.Name, It.IsAny<CancellationToken>()))
            .Returns<string, CancellationToken>(OnWaitForEvent);
        Context.Setup(c => c.CallActivityAsync<It.IsAnyType>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns(new InvocationFunc(OnActivity));
    }

    public Mock<TaskOrchestrationContext> Context { get; }
    public DateTime Now { get; private set; } = new(2026, 11, 24, 10, 0, 0, DateTimeKind.Utc);
    public List<(string Name, object? Input)> ActivityCalls { get; } = [];
    public List<TimeSpan> Timers { get; } = [];
    public List<PipelineRecord> Statuses { get; } = [];

    public ScriptedOrchestration Events(params PipelineEvent?[] script)
    {
        foreach (var e in script) events.Enqueue(e);
        return this;
    }

    public ScriptedOrchestration Activity<TInput, TOutput>(string name, Func<TInput, TOutput> answer) where TOutput : notnull
    {
        activities[name] = input => answer((TInput)input!);
        return this;
    }

    public ScriptedOrchestration Activity<TOutput>(string name, TOutput answer) where TOutput : notnull
    {
        activities[name] = _ => answer;
        return this;
    }

    public Task<PipelineRecord> RunAsync(PipelineInput input) => RecordingPipeline.RunAsync(Context.Object, input);

    public IEnumerable<T> InputsOf<T>(string activity) => ActivityCalls.Where(c => c.Name == activity).Select(c => (T)c.Input!);

    private Task OnTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        Timers.Add(fireAt - Now);
        if (events.Count == 0 || events.Peek() is null)
        {
            if (events.Count > 0) events.Dequeue();
            Now = fireAt;
            timerFired = true;
            return Task.CompletedTask;
        }
        return Pending<bool>(cancellationToken);
    }

    // A wait with a timeout asks for its timer first, then for the event: a fired timer means no event this time.
    private Task<PipelineEvent> OnWaitForEvent(string name, CancellationToken cancellationToken)
    {
        var timedOut = timerFired;
        timerFired = false;
        return !timedOut && events.Count > 0 && events.Peek() is not null
            ? Task.FromResult(events.Dequeue()!)
            : Pending<PipelineEvent>(cancellationToken);
    }

    private object OnActivity(IInvocation invocation)
    {
        var name = ((TaskName)invocation.Arguments[0]).Name;
        var input = invocation.Arguments[1];
        ActivityCalls.Add((name, input));
        var resultType = invocation.Method.ReturnType.GetGenericArguments()[0];
        if (!activities.TryGetValue(name, out var answer))
            throw new InvalidOperationException($"The script has no answer for activity {name}.");
        try
        {
            return FromResult(resultType, answer(input));
        }
        catch (Exception e) when (e is not InvalidCastException)
        {
            var failure = new TaskFailedException(name, ActivityCalls.Count, TaskFailureDetails.FromException(e));
            return typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!
                .MakeGenericMethod(resultType).Invoke(null, [failure])!;
        }
    }

    private static object FromResult(Type type, object value) =>
        typeof(Task).GetMethod(nameof(Task.FromResult), BindingFlags.Public | BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, [value])!;

    private static Task<T> Pending<T>(CancellationToken cancellationToken)
    {
        var pending = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        cancellationToken.Register(() => pending.TrySetCanceled(cancellationToken));
        return pending.Task;
    }
}
