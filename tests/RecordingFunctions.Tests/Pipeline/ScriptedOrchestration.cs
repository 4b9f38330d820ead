using System.Reflection;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Moq.Protected;
using RecordingFunctions.Pipeline;

namespace RecordingFunctions.Tests.Pipeline;

/// <summary>
/// A mocked orchestration context that plays a script: the 100ms events and commands that arrive, in order
/// (null = a wait that times out), and how each activity answers. It records every activity call, timer and custom status.
/// </summary>
internal sealed class ScriptedOrchestration
{
    private readonly Queue<object?> events = new();
    // Recording the outcome only counts and logs: every script answers it.
    private readonly Dictionary<string, Func<object?, object>> activities = new() { [PipelineNames.RecordOutcome] = _ => true };
    private TaskCompletionSource<PipelineEvent>? hmsWaiter;
    private TaskCompletionSource<PipelineCommand>? commandWaiter;
    private (DateTime FireAt, TaskCompletionSource Fired)? pendingTimer;
    private bool playedThisWait;

    public ScriptedOrchestration()
    {
        Context = new Mock<TaskOrchestrationContext> { CallBase = true };
        Context.SetupGet(c => c.InstanceId).Returns("0123456789abcdef01234567-00000000000000000000000000000001");
        // The pipeline reads the clock before each wait: one script item is played per wait.
        Context.SetupGet(c => c.CurrentUtcDateTime).Returns(() =>
        {
            playedThisWait = false;
            return Now;
        });
        Context.SetupGet(c => c.IsReplaying).Returns(false);
        Context.Protected().SetupGet<ILoggerFactory>("LoggerFactory").Returns(NullLoggerFactory.Instance);
        Context.Setup(c => c.SetCustomStatus(It.IsAny<object?>()))
            .Callback<object?>(status => Statuses.Add((PipelineRecord)status!));
        Context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns<DateTime, CancellationToken>(OnTimer);
        Context.Setup(c => c.WaitForExternalEvent<PipelineEvent>(PipelineEvent.Name, It.IsAny<CancellationToken>()))
            .Returns<string, CancellationToken>((_, _) =>
            {
                hmsWaiter = NewWaiter<PipelineEvent>();
                Play();
                return hmsWaiter.Task;
            });
        Context.Setup(c => c.WaitForExternalEvent<PipelineCommand>(PipelineCommand.Name, It.IsAny<CancellationToken>()))
            .Returns<string, CancellationToken>((_, _) =>
            {
                commandWaiter = NewWaiter<PipelineCommand>();
                Play();
                return commandWaiter.Task;
            });
        Context.Setup(c => c.CallActivityAsync<It.IsAnyType>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns(new InvocationFunc(OnActivity));
    }

    public Mock<TaskOrchestrationContext> Context { get; }
    public DateTime Now { get; private set; } = new(2026, 11, 24, 10, 0, 0, DateTimeKind.Utc);
    public List<(string Name, object? Input)> ActivityCalls { get; } = [];
    public List<TimeSpan> Timers { get; } = [];
    public List<PipelineRecord> Statuses { get; } = [];

    /// <summary>What arrives, one item per wait: a <see cref="PipelineEvent"/>, a <see cref="PipelineCommand"/>, or null for a timeout.</summary>
    public ScriptedOrchestration Events(params object?[] script)
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

    // A wait asks for its timer (or keeps the one it has), then for its inbox waiters. Each of these calls plays the
    // script's next item once something can take it: an event or a command completes its waiter, and a null (or the
    // end of the script) fires the pending timer. A command waits for a command waiter: script commands only where
    // the pipeline takes them.
    private Task OnTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        Timers.Add(fireAt - Now);
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cancellationToken.Register(() => fired.TrySetCanceled(cancellationToken));
        pendingTimer = (fireAt, fired);
        Play();
        return fired.Task;
    }

    private void Play()
    {
        if (playedThisWait) return;
        switch (events.Count > 0 ? events.Peek() : null)
        {
            case PipelineEvent hmsEvent when hmsWaiter is { Task.IsCompleted: false }:
                events.Dequeue();
                hmsWaiter.SetResult(hmsEvent);
                playedThisWait = true;
                break;
            case PipelineCommand command when commandWaiter is { Task.IsCompleted: false }:
                events.Dequeue();
                commandWaiter.SetResult(command);
                playedThisWait = true;
                break;
            case null when pendingTimer is { Fired.Task.IsCompleted: false } timer && hmsWaiter is { Task.IsCompleted: false }:
                if (events.Count > 0) events.Dequeue();
                Now = timer.FireAt;
                timer.Fired.SetResult();
                playedThisWait = true;
                break;
        }
    }

    private static TaskCompletionSource<T> NewWaiter<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

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
