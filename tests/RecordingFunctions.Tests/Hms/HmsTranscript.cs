using System.Text.Json;
using System.Text.Json.Serialization;
using RecordingFunctions.Hms;

namespace RecordingFunctions.Tests.Hms;

// The app copies transcript.json as it is and never reads it; the tests read it to check what 100ms (or the simulator) wrote.

/// <summary>The json transcript: words and sentences with times in milliseconds from the recording's start.</summary>
public sealed record HmsTranscript
{
    [JsonPropertyName("words")] public IReadOnlyList<HmsTranscriptWord> Words { get; init; } = [];
    [JsonPropertyName("sentences")] public IReadOnlyList<HmsTranscriptSentence> Sentences { get; init; } = [];

    public static HmsTranscript Parse(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize<HmsTranscript>(utf8Json, HmsJson.Options) ?? throw new JsonException("The transcript file is empty.");
}

// 100ms's sample writes times as strings ("1010"); numbers are read too (HmsJson allows both).
public sealed record HmsTranscriptWord
{
    [JsonPropertyName("word")] public string Word { get; init; } = "";
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("peer_id")] public string? PeerId { get; init; }
    [JsonPropertyName("start_time")] public long StartTime { get; init; }
    [JsonPropertyName("end_time")] public long EndTime { get; init; }
}

public sealed record HmsTranscriptSentence
{
    [JsonPropertyName("sentence")] public string Sentence { get; init; } = "";
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("peer_id")] public string? PeerId { get; init; }
    [JsonPropertyName("start_time")] public long StartTime { get; init; }
    [JsonPropertyName("end_time")] public long EndTime { get; init; }
}
