using RecordingFunctions.Hms;

namespace RecordingFunctions.Pipeline.Activities;

/// <summary>Stops a recording; returns false when 100ms had nothing left to stop.</summary>
public sealed class StopRecordingActivity(HmsClient hms)
{
    public async Task<bool> RunAsync(string recordingId, CancellationToken cancellationToken)
    {
        try
        {
            await hms.StopRecordingAsync(recordingId, cancellationToken);
            return true;
        }
        catch (HmsApiException e) when (e.StatusCode == 404)
        {
            return false;
        }
    }
}
