using RecordingFunctions.Pipeline;
using RecordingFunctions.Validation;

namespace RecordingFunctions.Tests.Validation;

/// <summary>Validates a start body as the API does now, with the default maximum recording duration.</summary>
internal static class StartRequests
{
    public static ScheduleLimits LimitsNow => new(DateTimeOffset.UtcNow, new PipelineOptions().MaxRecordingDuration);

    public static StartRequestValidation Validate(string? roomId, ReadOnlySpan<byte> utf8Body) =>
        StartRecordingValidator.Validate(roomId, utf8Body, LimitsNow);
}
