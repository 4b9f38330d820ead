using RecordingFunctions.Hms;

namespace RecordingFunctions.Pipeline.Activities;

/// <summary>Reads a recording and its assets from 100ms's API: the pipeline's source of truth when webhooks are late.</summary>
public sealed class GetRecordingActivity(HmsClient hms)
{
    public async Task<RecordingSnapshot> RunAsync(string recordingId, CancellationToken cancellationToken)
    {
        var recording = await hms.GetRecordingAsync(recordingId, cancellationToken);
        var assets = recording.RecordingAssets ?? [];
        var composite = assets.FirstOrDefault(a => a.Type == HmsAssetTypes.RoomComposite);
        var duration = composite?.Duration
            ?? (recording.StartedAt is { } start && recording.StoppedAt is { } stop ? (int)(stop - start).TotalSeconds : null);
        return new RecordingSnapshot(
            recording.Status ?? "",
            recording.SessionId,
            recording.StartedAt,
            recording.StoppedAt,
            duration,
            [.. assets.Select(a => new RecordingAsset(a.Id, a.Type ?? "", a.Metadata?.OutputMode, a.Status ?? "", a.Size))]);
    }
}
