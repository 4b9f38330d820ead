using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace RecordingFunctions.Pipeline.Activities;

/// <summary>How a pipeline ended, handed to <see cref="RecordOutcomeActivity"/> once, after its last step.</summary>
public sealed record PipelineOutcome(
    [property: JsonPropertyName("instance_id")] string InstanceId,
    [property: JsonPropertyName("room_id")] string RoomId,
    [property: JsonPropertyName("recording_id")] string? RecordingId,
    [property: JsonPropertyName("origin")] string Origin,
    [property: JsonPropertyName("phase")] PipelinePhase Phase,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("phases")] IReadOnlyList<PhaseChange> Phases);

/// <summary>
/// Counts the ended pipeline and its time per phase, and logs a failure as an error: done in an activity because an
/// orchestrator replays, and would count and log again on every replay.
/// </summary>
public sealed class RecordOutcomeActivity(ILogger<RecordOutcomeActivity> logger)
{
    public Task<bool> RunAsync(PipelineOutcome outcome, CancellationToken cancellationToken)
    {
        PipelineTelemetry.PipelineEnded(outcome);
        var level = outcome.Phase switch
        {
            PipelinePhase.Failed => LogLevel.Error,
            PipelinePhase.TranscriptionTimedOut => LogLevel.Warning,
            _ => LogLevel.Information,
        };
        logger.Log(level, "Pipeline {InstanceId} for recording {RecordingId} in room {RoomId} ended {Phase}: {Reason}",
            outcome.InstanceId, outcome.RecordingId, outcome.RoomId, outcome.Phase.ToWireName(), outcome.Reason ?? "no error");
        return Task.FromResult(true);
    }
}
