using System.Text.Json.Serialization;

namespace RecordingFunctions.Hms;

/// <summary>
/// The body of 100ms's <c>POST /v2/recordings/room/{room_id}/start</c>; the product's start API accepts the same body.
/// Every field is optional, as in 100ms's schema.
/// </summary>
public sealed record StartRecordingRequest
{
    [JsonPropertyName("meeting_url")] public string? MeetingUrl { get; init; }
    [JsonPropertyName("resolution")] public RecordingResolution? Resolution { get; init; }
    [JsonPropertyName("destination")] public string? Destination { get; init; }
    [JsonPropertyName("audio_only")] public bool? AudioOnly { get; init; }
    [JsonPropertyName("transcription")] public TranscriptionSettings? Transcription { get; init; }
}

public sealed record RecordingResolution
{
    [JsonPropertyName("width")] public int Width { get; init; }
    [JsonPropertyName("height")] public int Height { get; init; }
}

public sealed record TranscriptionSettings
{
    [JsonPropertyName("enabled")] public bool? Enabled { get; init; }
    /// <summary>Any of <c>txt</c>, <c>srt</c>, <c>json</c>.</summary>
    [JsonPropertyName("output_modes")] public IReadOnlyList<string>? OutputModes { get; init; }
    [JsonPropertyName("custom_vocabulary")] public IReadOnlyList<string>? CustomVocabulary { get; init; }
    [JsonPropertyName("summary")] public SummarySettings? Summary { get; init; }
}

public sealed record SummarySettings
{
    [JsonPropertyName("enabled")] public bool? Enabled { get; init; }
    [JsonPropertyName("context")] public string? Context { get; init; }
    [JsonPropertyName("sections")] public IReadOnlyList<SummarySectionRequest>? Sections { get; init; }
    [JsonPropertyName("temperature")] public double? Temperature { get; init; }
}

public sealed record SummarySectionRequest
{
    [JsonPropertyName("title")] public string Title { get; init; } = "";
    /// <summary><c>bullets</c> or <c>paragraph</c>.</summary>
    [JsonPropertyName("format")] public string Format { get; init; } = "";
}
