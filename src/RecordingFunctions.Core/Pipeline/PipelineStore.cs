using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace RecordingFunctions.Pipeline;

/// <summary>
/// The pipelines as Durable keeps them, for code outside orchestrations: the one place that creates a pipeline, finds
/// a room's running ones, reads a pipeline's record, sends it commands and delivers 100ms events to it. Each method
/// takes the Durable client of the call, as the Functions bindings give it.
/// </summary>
public sealed class PipelineStore(TimeProvider clock)
{
    private static readonly OrchestrationRuntimeStatus[] ActiveStatuses =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    private readonly ActivePipelineCache activePipelines = new(clock);
    private readonly ConcurrentDictionary<string, Lazy<Task<bool>>> creating = new(StringComparer.Ordinal);

    /// <summary>
    /// Starts a pipeline as <paramref name="instanceId"/> unless that instance exists in any state, ended ones included
    /// (Durable would start a completed id afresh). False when it existed, also when a concurrent caller created it first.
    /// </summary>
    public async Task<bool> CreateAsync(DurableTaskClient durable, string instanceId, PipelineInput input, CancellationToken cancellationToken)
    {
        // Parallel deliveries of one recording's events all find the instance absent and race to create it; a second
        // create of a still pending instance left it pending for good (the archive tests caught it under load).
        // Callers in this process share one attempt; across processes the backend's own duplicate check decides.
        var mine = new Lazy<Task<bool>>(() => CreateOnceAsync(durable, instanceId, input, cancellationToken));
        var attempt = creating.GetOrAdd(instanceId, mine);
        if (attempt != mine)
        {
            await attempt.Value;
            return false;
        }
        try
        {
            var created = await mine.Value;
            if (created) PipelineTelemetry.PipelineStarted(instanceId, input);
            return created;
        }
        finally
        {
            creating.TryRemove(new KeyValuePair<string, Lazy<Task<bool>>>(instanceId, mine));
        }
    }

    private async Task<bool> CreateOnceAsync(DurableTaskClient durable, string instanceId, PipelineInput input, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(durable, instanceId, cancellationToken)) return false;
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(PipelineNames.Orchestrator, input, new StartOrchestrationOptions(instanceId), cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Created by a concurrent caller in between: that is all we wanted.
            if (await ExistsAsync(durable, instanceId, cancellationToken)) return false;
            throw;
        }
        activePipelines.Forget(input.RoomId);
        return true;
    }

    public async Task<bool> ExistsAsync(DurableTaskClient durable, string instanceId, CancellationToken cancellationToken) =>
        await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null;

    /// <summary>The pipeline with its input and record, or null when there is none (or the id is not a pipeline's).</summary>
    public async Task<OrchestrationMetadata?> GetAsync(DurableTaskClient durable, string instanceId, CancellationToken cancellationToken) =>
        PipelineInstanceIds.IsValid(instanceId)
            ? await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken)
            : null;

    /// <summary>
    /// A pipeline's record: its output once finished, its custom status while it runs, and before it has published one,
    /// what it is about to publish: scheduled when its input has a start time, else starting (processing for an archive).
    /// </summary>
    public static PipelineRecord? RecordOf(OrchestrationMetadata instance)
    {
        // A failed orchestration's output is its error text, not a record.
        var record = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed && instance.SerializedOutput is not null
            ? instance.ReadOutputAs<PipelineRecord>()
            : instance.ReadCustomStatusAs<PipelineRecord>();
        if (record is not null) return record;
        var input = instance.ReadInputAs<PipelineInput>();
        return input is null ? null : new PipelineRecord
        {
            RoomId = input.RoomId,
            Phase = input.Archive is not null ? PipelinePhase.Processing
                : input.Schedule?.StartAt is null ? PipelinePhase.Starting : PipelinePhase.Scheduled,
            Origin = input.Origin,
            RecordingId = input.Archive?.RecordingId,
            SessionId = input.Archive?.SessionId,
            Schedule = input.Schedule,
            Calendar = input.Calendar,
        };
    }

    public static PipelinePhase PhaseOf(OrchestrationMetadata instance) => RecordOf(instance)?.Phase ?? PipelinePhase.Starting;

    /// <summary>The room's running pipelines as Durable has them now, each with the recording and phase its record names.</summary>
    public async Task<IReadOnlyList<ActivePipeline>> FindActiveAsync(DurableTaskClient durable, string roomId, CancellationToken cancellationToken)
    {
        var found = new List<ActivePipeline>();
        await foreach (var instance in ListActiveAsync(durable, PipelineInstanceIds.RoomPrefix(roomId), cancellationToken))
        {
            var record = RecordOf(instance);
            found.Add(new ActivePipeline(instance.InstanceId, record?.RecordingId, record?.Phase ?? PipelinePhase.Starting));
        }
        return found;
    }

    /// <summary>Every running pipeline (archive sweeps excluded), with inputs and records.</summary>
    public async IAsyncEnumerable<OrchestrationMetadata> ListActiveAsync(
        DurableTaskClient durable, string? instanceIdPrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = instanceIdPrefix,
            Statuses = ActiveStatuses,
            FetchInputsAndOutputs = true, // the custom status says which recording and phase each pipeline is at
            PageSize = 500,
        };
        await foreach (var instance in durable.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (PipelineInstanceIds.IsValid(instance.InstanceId)) yield return instance;
        }
    }

    /// <summary>Asks a pipeline to stop, cancel or reschedule; it decides what the command means in its phase.</summary>
    public Task SendAsync(DurableTaskClient durable, string instanceId, PipelineCommand command, CancellationToken cancellationToken) =>
        durable.RaiseEventAsync(instanceId, PipelineCommand.Name, command, cancellationToken);

    /// <summary>
    /// Raises a 100ms event in every running pipeline of its room, all at once; each pipeline keeps only what belongs to
    /// its recording and ignores repeats. A burst of events for a room costs one Durable query (see
    /// <see cref="ActivePipelineCache"/>). Returns the pipelines it reached.
    /// </summary>
    public async Task<IReadOnlyList<ActivePipeline>> DeliverAsync(DurableTaskClient durable, PipelineEvent hmsEvent, CancellationToken cancellationToken)
    {
        var roomId = hmsEvent.RoomId ?? throw new ArgumentException("A pipeline event names its room.", nameof(hmsEvent));
        var pipelines = await activePipelines.GetAsync(
            roomId, hmsEvent.RecordingId, token => FindActiveAsync(durable, roomId, token), cancellationToken);
        try
        {
            await Task.WhenAll(pipelines.Select(p => durable.RaiseEventAsync(p.InstanceId, PipelineEvent.Name, hmsEvent, cancellationToken)));
        }
        catch
        {
            // 100ms retries what we fail; the retry looks the room up afresh.
            activePipelines.Forget(roomId);
            throw;
        }
        return pipelines;
    }
}
