using System.Text.Json.Serialization;

namespace RecordingFunctions.Pipeline;

/// <summary>
/// When a pipeline records: from <see cref="StartAt"/> (or at once) until <see cref="StopAt"/>, or for
/// <see cref="DurationSeconds"/> after the recording started, or until 100ms stops it on its own.
/// </summary>
public sealed record RecordingSchedule
{
    [JsonPropertyName("start_at")] public DateTimeOffset? StartAt { get; init; }
    [JsonPropertyName("stop_at")] public DateTimeOffset? StopAt { get; init; }
    [JsonPropertyName("duration")] public int? DurationSeconds { get; init; }

    /// <summary>When to stop a recording that started at <paramref name="startedAt"/>; null lets 100ms decide.</summary>
    public DateTimeOffset? StopTimeFor(DateTimeOffset startedAt) =>
        StopAt ?? (DurationSeconds is { } seconds ? startedAt.AddSeconds(seconds) : null);
}

/// <summary>The bounds a schedule is checked against: the current time and 100ms's longest recording.</summary>
public sealed record ScheduleLimits(DateTimeOffset Now, TimeSpan MaxRecordingDuration)
{
    /// <summary>How far ahead a recording can be scheduled (RecordingFunctions' limit).</summary>
    public static readonly TimeSpan MaxLeadTime = TimeSpan.FromDays(366);
}
