using System.Text.Json;

namespace RecordingFunctions.HmsSimulator;

/// <summary>A start request as 100ms reads it, with 100ms's checks (hms-api.md §3.2).</summary>
public sealed record StartBody
{
    public string? MeetingUrl { get; init; }
    public string? Destination { get; init; }
    public bool AudioOnly { get; init; }
    public int Width { get; init; } = 1280;
    public int Height { get; init; } = 720;
    public bool TranscriptionEnabled { get; init; }
    /// <summary>The body had a <c>transcription</c> object; without one, the room's template decides.</summary>
    public bool TranscriptionGiven { get; init; }
    public List<string> OutputModes { get; init; } = ["txt", "srt", "json"];
    public bool SummaryEnabled { get; init; }
    public List<(string Title, string Format)> SummarySections { get; init; } = [];

    public static StartBody Parse(byte[] body)
    {
        if (body.Length == 0) throw new HmsError(400, "request body must not be empty");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new HmsError(400, $"request body contains badly-formed JSON (at position {e.BytePositionInLine ?? 0})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new HmsError(400, "request body must be a JSON object");
            var problems = new List<string>();
            var result = new StartBody();

            if (root.TryGetProperty("meeting_url", out var url))
            {
                if (url.ValueKind != JsonValueKind.String || url.GetString() == "") throw new HmsError(400, "invalid input");
                result = result with { MeetingUrl = url.GetString() };
            }
            if (root.TryGetProperty("destination", out var destination) && destination.ValueKind == JsonValueKind.String)
                result = result with { Destination = destination.GetString() };
            if (root.TryGetProperty("audio_only", out var audioOnly))
            {
                if (audioOnly.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) problems.Add("audio_only must be a boolean");
                else result = result with { AudioOnly = audioOnly.GetBoolean() };
            }
            if (root.TryGetProperty("resolution", out var resolution))
            {
                if (resolution.ValueKind != JsonValueKind.Object
                    || !resolution.TryGetProperty("width", out var w) || !w.TryGetInt32(out var width)
                    || !resolution.TryGetProperty("height", out var h) || !h.TryGetInt32(out var height))
                {
                    problems.Add("resolution needs integer width and height");
                }
                else
                {
                    var portrait = height > width;
                    var ok = portrait
                        ? width is >= 500 and <= 1080 && height is >= 500 and <= 1920
                        : width is >= 500 and <= 1920 && height is >= 480 and <= 1080;
                    if (!ok) problems.Add("Resolution not supported");
                    else result = result with { Width = width, Height = height };
                }
            }
            if (root.TryGetProperty("transcription", out var transcription))
                result = Transcription(result with { TranscriptionGiven = true }, transcription, problems);

            if (problems.Count > 0) throw new HmsError(400, "Invalid body param", [.. problems.Select(p => "Invalid body param: " + p)]);
            return result;
        }
    }

    private static StartBody Transcription(StartBody result, JsonElement transcription, List<string> problems)
    {
        if (transcription.ValueKind != JsonValueKind.Object)
        {
            problems.Add("transcription must be an object");
            return result;
        }
        if (transcription.TryGetProperty("enabled", out var enabled) && enabled.ValueKind == JsonValueKind.True)
            result = result with { TranscriptionEnabled = true };
        if (transcription.TryGetProperty("output_modes", out var modes))
        {
            var list = modes.ValueKind == JsonValueKind.Array
                ? modes.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString()! : "").ToList()
                : null;
            if (list is null || list.Count == 0 || list.Any(m => m is not ("txt" or "srt" or "json")) || list.Distinct().Count() != list.Count)
                problems.Add("output_modes must be distinct values of txt, srt, json");
            else result = result with { OutputModes = list };
        }
        if (!transcription.TryGetProperty("summary", out var summary)) return result;
        if (summary.ValueKind != JsonValueKind.Object)
        {
            problems.Add("summary must be an object");
            return result;
        }
        if (summary.TryGetProperty("enabled", out var summaryEnabled) && summaryEnabled.ValueKind == JsonValueKind.True)
            result = result with { SummaryEnabled = true };
        if (summary.TryGetProperty("context", out var context) && (context.ValueKind != JsonValueKind.String || context.GetString()!.Length > 300))
            problems.Add("summary context must be at most 300 characters");
        if (summary.TryGetProperty("temperature", out var temperature)
            && (!temperature.TryGetDouble(out var t) || t < 0.1 || t > 1.0))
            problems.Add("summary temperature must be between 0.1 and 1.0");
        if (summary.TryGetProperty("sections", out var sections))
        {
            if (sections.ValueKind != JsonValueKind.Array) problems.Add("summary sections must be an array");
            else
            {
                var list = new List<(string, string)>();
                foreach (var section in sections.EnumerateArray())
                {
                    var title = section.ValueKind == JsonValueKind.Object && section.TryGetProperty("title", out var tt) && tt.ValueKind == JsonValueKind.String ? tt.GetString()! : "";
                    var format = section.ValueKind == JsonValueKind.Object && section.TryGetProperty("format", out var ff) && ff.ValueKind == JsonValueKind.String ? ff.GetString()! : "";
                    if (title.Length is 0 or > 100) problems.Add("section title is required and at most 100 characters");
                    if (format is not ("bullets" or "paragraph")) problems.Add("section format must be bullets or paragraph");
                    list.Add((title, format));
                }
                if (list.Count > 6) problems.Add("at most 6 summary sections are allowed");
                result = result with { SummarySections = list };
            }
        }
        return result;
    }
}
