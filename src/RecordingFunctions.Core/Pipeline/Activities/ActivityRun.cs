using RecordingFunctions.Hms;
using RecordingFunctions.Telemetry;

namespace RecordingFunctions.Pipeline.Activities;

/// <summary>
/// How every activity runs, under every host: in a span with its pipeline's ids, and with 100ms's refusals turned into
/// the failures the pipeline's retry policy reads (<see cref="RecordingPipeline.RetryPolicyFor"/>). An activity catches
/// an <see cref="HmsApiException"/> itself only where an answer means something else (a 409 on start, a 404 on stop).
/// </summary>
public static class ActivityRun
{
    public static async Task<T> RunAsync<T>(string name, string? instanceId, object? input, Func<Task<T>> run)
    {
        using var span = PipelineTelemetry.StartActivityRun(name, instanceId, input);
        try
        {
            return await run();
        }
        catch (Exception e)
        {
            var failure = e is HmsApiException refusal ? Translate(refusal) : e;
            RecordingFunctionsTelemetry.Failed(span, failure);
            if (failure == e) throw;
            throw failure;
        }
    }

    /// <summary>404 and 410: gone, no retry brings it back; another 4xx: permanent; the rest is retried.</summary>
    private static Exception Translate(HmsApiException e) =>
        GoneFromHmsException.IsGone(e.StatusCode) ? new GoneFromHmsException($"100ms no longer has it: {e.Message}", e)
        : !e.IsRetryable ? new PermanentFailureException(e.Message, e)
        : e;
}
