using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecordingFunctions.Hms;

/// <summary>
/// The summary file 100ms produces. The docs wrap it (<c>{"summary":{"sections":[...]}}</c>); consumers of the real
/// service read a bare <c>{"sections":[...]}</c>. Both are accepted, and so are sections with null or missing
/// <c>bullets</c>/<c>paragraph</c>, a lone string for <c>bullets</c>, extra keys and formats other than 100ms's two.
/// </summary>
public sealed record HmsSummary(IReadOnlyList<HmsSummarySection> Sections)
{
    /// <summary>Reads the file; a <see cref="JsonException"/> when it is not JSON or has no list of sections.</summary>
    public static HmsSummary Parse(ReadOnlySpan<byte> utf8Json)
    {
        var root = JsonNode.Parse(utf8Json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject
            ?? throw new JsonException("The summary file is not a JSON object.");
        var sections = root["sections"] as JsonArray ?? (root["summary"] as JsonObject)?["sections"] as JsonArray
            ?? throw new JsonException("The summary file has no sections (neither \"sections\" nor \"summary.sections\").");
        return new HmsSummary([.. sections.OfType<JsonObject>().Select(Section)]);
    }

    private static HmsSummarySection Section(JsonObject section) => new()
    {
        Title = Text(section["title"]) ?? "",
        Format = Text(section["format"]) ?? "",
        Bullets = section["bullets"] switch
        {
            JsonArray list => [.. list.Select(Text).OfType<string>()],
            JsonValue one when Text(one) is { } text => [text],
            _ => null,
        },
        Paragraph = Text(section["paragraph"]),
    };

    private static string? Text(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
            _ => null,
        }
        : null;
}

public sealed record HmsSummarySection
{
    public string Title { get; init; } = "";
    /// <summary><c>bullets</c> or <c>paragraph</c> as 100ms documents; anything else is rendered from what the section holds.</summary>
    public string Format { get; init; } = "";
    public IReadOnlyList<string>? Bullets { get; init; }
    public string? Paragraph { get; init; }
}
