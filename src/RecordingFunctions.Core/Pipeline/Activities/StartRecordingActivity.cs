using Microsoft.Extensions.Logging;
using RecordingFunctions.Hms;

namespace RecordingFunctions.Pipeline.Activities;

/// <summary>Asks 100ms to start recording the room, or adopts the recording an earlier attempt of ours started.</summary>
public sealed class StartRecordingActivity(HmsClient hms, ILogger<StartRecordingActivity> logger)
{
    public async Task<StartedRecording> RunAsync(StartRecordingInput input, CancellationToken cancellationToken)
    {
        try
        {
            var recording = await hms.StartRecordingAsync(input.RoomId, input.Request, cancellationToken);
            if (!HmsLimits.IsHmsId(recording.Id)) throw new PermanentFailureException("100ms started the recording without naming it (no recording id).");
            return new StartedRecording(recording.Id, recording.SessionId, recording.AssetTypes);
        }
        catch (HmsApiException e) when (e.StatusCode == 409)
        {
            // An earlier attempt of ours may have started it before its answer was lost: adopt a recording
            // 100ms created in this room since the pipeline began; anything older belongs to someone else.
            var ours = await FindRecordingStartedSinceAsync(input, cancellationToken);
            if (ours is not null)
            {
                logger.LogWarning("Room {RoomId} already records {RecordingId}, started since this pipeline began: adopting it",
                    input.RoomId, ours.Id);
                return new StartedRecording(ours.Id, ours.SessionId, ours.AssetTypes);
            }
            throw;
        }
    }

    private async Task<HmsRecording?> FindRecordingStartedSinceAsync(StartRecordingInput input, CancellationToken cancellationToken)
    {
        var page = await hms.ListRecordingsAsync(new RecordingListQuery { RoomId = input.RoomId, Limit = 20 }, cancellationToken);
        return page.Data.FirstOrDefault(r =>
            r.Status is HmsRecordingStatus.Starting or HmsRecordingStatus.Running
            && r.CreatedAt >= input.NotBefore);
    }
}
