using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecordingFunctions.Hms;

/// <summary>
/// The summary file 100ms produces. The docs wrap it (<c>{"summary":{"sections":[...]}}</c>); consumers of the real
/// service read a bare <c>{"sections":[...]}</c>. Both are accepted.
/// </summary>
public sealed record HmsSummary(IReadOnlyList<HmsSummarySection> Sections)
{
    public static HmsSummary Parse(ReadOnlySpan<byte> utf8Json)
    {
        var file = JsonSerializer.Deserialize<SummaryFile>(utf8Json, HmsJson.Options)
            ?? throw new JsonException("The summary file is empty.");
        var sections = file.Summary?.Sections ?? file.Sections
            ?? throw new JsonException("The summary file has no sections.");
        return new HmsSummary(sections);
    }

    private sealed record SummaryFile(SummaryBody? Summary, IReadOnlyList<HmsSummarySection>? Sections);

    private sealed record SummaryBody(IReadOnlyList<HmsSummarySection>? Sections);
}

public sealed record HmsSummarySection
{
    [JsonPropertyName("title")] public string Title { get; init; } = "";
    /// <summary><c>bullets</c> or <c>paragraph</c>.</summary>
    [JsonPropertyName("format")] public string Format { get; init; } = "";
    [JsonPropertyName("bullets")] public IReadOnlyList<string>? Bullets { get; init; }
    [JsonPropertyName("paragraph")] public string? Paragraph { get; init; }
}

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
