using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using RecordingFunctions.Webhooks;

namespace RecordingFunctions.Pipeline;

/// <summary>
/// The pipelines as Durable keeps them, for code outside orchestrations: create one idempotently, find a room's
/// running ones, tell whether an instance exists. One Durable client per call, as the Functions bindings give it.
/// </summary>
public sealed class PipelineStore(DurableTaskClient durable)
{
    private static readonly OrchestrationRuntimeStatus[] ActiveStatuses =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    public DurableTaskClient Client => durable;

    /// <summary>
    /// Starts <paramref name="orchestrator"/> as <paramref name="instanceId"/> unless that instance exists in any state,
    /// ended ones included (Durable would start a completed id afresh). False when it existed, also when a concurrent
    /// caller created it first.
    /// </summary>
    public async Task<bool> CreateIfAbsentAsync(string orchestrator, string instanceId, object input, CancellationToken cancellationToken)
    {
        // Parallel deliveries of one recording's events all find the instance absent and race to create it; a second
        // create of a still pending instance left it pending for good (the archive tests caught it under load).
        // Callers in this process share one attempt; across processes the backend's own duplicate check decides.
        var mine = new Lazy<Task<bool>>(() => CreateOnceAsync(orchestrator, instanceId, input, cancellationToken));
        var attempt = Creating.GetOrAdd(instanceId, mine);
        if (attempt != mine)
        {
            await attempt.Value;
            return false;
        }
        try
        {
            return await mine.Value;
        }
        finally
        {
            Creating.TryRemove(new KeyValuePair<string, Lazy<Task<bool>>>(instanceId, mine));
        }
    }

    private static readonly ConcurrentDictionary<string, Lazy<Task<bool>>> Creating = new(StringComparer.Ordinal);

    private async Task<bool> CreateOnceAsync(string orchestrator, string instanceId, object input, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(instanceId, cancellationToken)) return false;
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions(instanceId), cancellationToken);
            return true;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Created by a concurrent caller in between: that is all we wanted.
            if (await ExistsAsync(instanceId, cancellationToken)) return false;
            throw;
        }
    }

    public async Task<bool> ExistsAsync(string instanceId, CancellationToken cancellationToken) =>
        await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null;

    /// <summary>The room's running pipelines, each with the recording its record names (null before it knows one).</summary>
    public async Task<IReadOnlyList<ActivePipeline>> FindActiveAsync(string roomId, CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = PipelineInstanceIds.RoomPrefix(roomId),
            Statuses = ActiveStatuses,
            FetchInputsAndOutputs = true, // the custom status says which recording each pipeline follows
        };
        var found = new List<ActivePipeline>();
        await foreach (var instance in durable.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            var record = instance.ReadCustomStatusAs<PipelineRecord>();
            found.Add(new ActivePipeline(instance.InstanceId, record?.RecordingId, record?.Phase));
        }
        return found;
    }
}
