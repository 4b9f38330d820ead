namespace RecordingFunctions.Pipeline;

/// <summary>A running pipeline of a room, and the 100ms recording (and phase) it had reported when it was looked up.</summary>
public sealed record ActivePipeline(string InstanceId, string? RecordingId, PipelinePhase Phase = PipelinePhase.Starting);

/// <summary>
/// Remembers for <see cref="Lifetime"/> which pipelines of a room are running, so that a burst of 100ms webhooks
/// for a room costs one Durable query instead of one each. It never hides a pipeline it could know about:
/// <list type="bullet">
/// <item>a room with no running pipeline is not remembered, so the next event looks again;</item>
/// <item>starting a pipeline <see cref="Forget"/>s its room, and a lookup that began before the start is not kept;</item>
/// <item>an event naming a recording that none of the remembered pipelines has reported looks again;</item>
/// <item>a pipeline started by another host is seen at the latest <see cref="Lifetime"/> later.</item>
/// </list>
/// </summary>
public sealed class ActivePipelineCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    /// <summary>Above this many rooms, each new entry first drops the expired ones.</summary>
    private const int SweepAbove = 1024;

    private readonly Dictionary<string, Entry> rooms = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    /// <summary>Counts <see cref="Forget"/> calls: a lookup that sees it move may have missed a new pipeline.</summary>
    private long generation;

    /// <summary>The room's running pipelines: remembered ones when they can be trusted for this event, else <paramref name="lookUp"/>'s.</summary>
    public async Task<IReadOnlyList<ActivePipeline>> GetAsync(
        string roomId, string? recordingId, Func<CancellationToken, Task<IReadOnlyList<ActivePipeline>>> lookUp, CancellationToken cancellationToken)
    {
        long generationBefore;
        lock (gate)
        {
            if (rooms.TryGetValue(roomId, out var entry) && clock.GetUtcNow() < entry.ExpiresAt
                && (recordingId is null || entry.Pipelines.Any(p => p.RecordingId == recordingId)))
                return entry.Pipelines;
            generationBefore = generation;
        }

        var pipelines = await lookUp(cancellationToken);
        lock (gate)
        {
            // A pipeline started while we looked may be missing from what we found: use it once, keep it not.
            if (pipelines.Count > 0 && generation == generationBefore)
            {
                var now = clock.GetUtcNow();
                if (rooms.Count > SweepAbove)
                {
                    foreach (var expired in rooms.Where(r => r.Value.ExpiresAt <= now).Select(r => r.Key).ToList()) rooms.Remove(expired);
                }
                rooms[roomId] = new Entry(pipelines, now + Lifetime);
            }
            else if (pipelines.Count == 0)
            {
                rooms.Remove(roomId);
            }
        }
        return pipelines;
    }

    /// <summary>A pipeline of the room was just started, or an event could not be raised: look the room up again next time.</summary>
    public void Forget(string roomId)
    {
        lock (gate)
        {
            generation++;
            rooms.Remove(roomId);
        }
    }

    private sealed record Entry(IReadOnlyList<ActivePipeline> Pipelines, DateTimeOffset ExpiresAt);
}
