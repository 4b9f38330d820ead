using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RecordingFunctions.Hms;

namespace RecordingFunctions.Scheduling;

/// <summary>
/// What one VEVENT asks to record: its room and its start request (the default request with the event's
/// <c>100ms-*</c> description lines applied), or why it cannot be recorded.
/// </summary>
internal sealed partial record EventRecording(string? RoomId, JsonObject? RequestBody, string? Problem)
{
    public const string RoomIdKey = "room-id";

    /// <summary>The description keys, without <c>100ms-</c>, in the order docs/calendar.md lists them.</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        RoomIdKey, "transcription", "summary", "output-modes", "summary-sections", "summary-context", "vocabulary", "resolution", "audio-only",
    ];

    private const string HowToNameARoom =
        "put a line '100ms-room-id: <room id>' in the description (a room id is 24 lowercase hexadecimal characters), " +
        "or a 100ms link that holds the room id in the location, such as https://<subdomain>.app.100ms.live/preview/<room id>/<role> " +
        "or a link with ?room_id=<room id>";

    public static EventRecording Read(string? description, string? location, string? url, JsonObject defaultRequest)
    {
        var text = EventDescription.Parse(description);
        var instructions = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var instruction in text.Instructions)
        {
            if (!Keys.Contains(instruction.Key))
                return Fail($"Unknown description key '100ms-{Echo(instruction.Key)}'; known keys: {string.Join(", ", Keys.Select(k => "100ms-" + k))}.");
            if (!instructions.TryAdd(instruction.Key, instruction.Value))
                return Fail($"100ms-{instruction.Key} appears more than once in the description.");
        }

        var (roomId, roomProblem) = Room(instructions, text, location, url);
        if (roomProblem is not null) return Fail(roomProblem);

        var body = defaultRequest.DeepClone().AsObject();
        var overrideProblem = Apply(instructions, body);
        if (overrideProblem is not null) return Fail(overrideProblem);

        // Validated once, with the occurrence's times, when the sync turns it into a pipeline's input.
        return new(roomId, body, null);
    }

    private static EventRecording Fail(string problem) => new(null, null, problem);

    // ----- the room -----

    private static (string? RoomId, string? Problem) Room(OrderedDictionary<string, string> instructions, EventDescription text, string? location, string? url)
    {
        if (instructions.TryGetValue(RoomIdKey, out var declared))
        {
            return HmsLimits.IsHmsId(declared)
                ? (declared, null)
                : (null, $"100ms-room-id: '{Echo(declared)}' is not a 100ms room id (24 lowercase hexadecimal characters).");
        }

        var links = EventDescription.FindLinks(location)
            .Concat(url is null ? [] : [url])
            .Concat(text.Links)
            .ToList();
        var roomIds = links.Select(HmsRoomLink.RoomId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (roomIds.Count == 1) return (roomIds[0], null);
        if (roomIds.Count > 1)
            return (null, $"The event's links name different 100ms rooms ({string.Join(", ", roomIds)}); put a line '100ms-room-id: <room id>' in the description to choose one.");

        var codeLinkHint = links.Any(HmsRoomLink.IsHmsLink)
            ? " Its 100ms link names a room code (…/meeting/<room-code>), not a room id."
            : "";
        return (null, $"No 100ms room:{codeLinkHint} To record this event, {HowToNameARoom}.");
    }

    // ----- the overrides -----

    /// <summary>
    /// Applies the description's settings over the default request. A setting of a feature turns the feature on unless
    /// the event turns it off: summary sections or context turn the summary on, and a summary, output modes or a
    /// vocabulary turn transcription on; turning transcription off also turns a configured summary off.
    /// </summary>
    private static string? Apply(OrderedDictionary<string, string> instructions, JsonObject body)
    {
        bool? transcriptionOn = null, summaryOn = null;
        foreach (var (key, value) in instructions)
        {
            switch (key)
            {
                case "transcription":
                    transcriptionOn = Switch(key, value, out var problem);
                    if (problem is not null) return problem;
                    Object(body, "transcription")["enabled"] = transcriptionOn;
                    break;
                case "summary":
                    summaryOn = Switch(key, value, out problem);
                    if (problem is not null) return problem;
                    Summary(body)["enabled"] = summaryOn;
                    break;
                case "audio-only":
                    var audioOnly = Switch(key, value, out problem);
                    if (problem is not null) return problem;
                    body["audio_only"] = audioOnly;
                    break;
                case "output-modes":
                    Object(body, "transcription")["output_modes"] = List(value, ',', mode => mode.ToLowerInvariant());
                    break;
                case "vocabulary":
                    Object(body, "transcription")["custom_vocabulary"] = List(value, ',', word => word);
                    break;
                case "summary-context":
                    Summary(body)["context"] = value;
                    break;
                case "summary-sections":
                    var sections = Sections(value, out problem);
                    if (problem is not null) return problem;
                    Summary(body)["sections"] = sections;
                    break;
                case "resolution":
                    var match = ResolutionValue().Match(value);
                    if (!match.Success || !int.TryParse(match.Groups["width"].Value, CultureInfo.InvariantCulture, out var width)
                        || !int.TryParse(match.Groups["height"].Value, CultureInfo.InvariantCulture, out var height))
                        return $"100ms-resolution: '{Echo(value)}' is not a resolution; write it as WIDTHxHEIGHT, such as 1280x720.";
                    body["resolution"] = new JsonObject { ["width"] = width, ["height"] = height };
                    break;
            }
        }

        var summarySettingsGiven = instructions.ContainsKey("summary-sections") || instructions.ContainsKey("summary-context");
        if (summaryOn is null && summarySettingsGiven && transcriptionOn != false)
        {
            summaryOn = true;
            Summary(body)["enabled"] = true;
        }
        var transcriptionSettingsGiven = summaryOn == true || instructions.ContainsKey("output-modes") || instructions.ContainsKey("vocabulary");
        if (transcriptionOn is null && transcriptionSettingsGiven)
            Object(body, "transcription")["enabled"] = true;
        if (transcriptionOn == false && summaryOn is null && Object(body, "transcription")["summary"] is JsonObject configuredSummary)
            configuredSummary["enabled"] = false;
        return null;
    }

    private static bool Switch(string key, string value, out string? problem)
    {
        problem = null;
        switch (value.ToLowerInvariant())
        {
            case "on" or "yes" or "true": return true;
            case "off" or "no" or "false": return false;
            default:
                problem = $"100ms-{key}: '{Echo(value)}' must be on or off (yes or no).";
                return false;
        }
    }

    private static JsonArray List(string value, char separator, Func<string, string> normalize) =>
        new(value.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(item => (JsonNode?)JsonValue.Create(normalize(item)))
            .ToArray());

    /// <summary><c>Title (bullets); Other title (paragraph)</c>.</summary>
    private static JsonArray? Sections(string value, out string? problem)
    {
        problem = null;
        var sections = new JsonArray();
        foreach (var section in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = SectionValue().Match(section);
            if (!match.Success)
            {
                problem = $"100ms-summary-sections: '{Echo(section)}' must be a title followed by its format in parentheses, such as 'Action items (bullets)'; sections are separated by ';'.";
                return null;
            }
            sections.Add(new JsonObject
            {
                ["title"] = match.Groups["title"].Value.Trim(),
                ["format"] = match.Groups["format"].Value.Trim().ToLowerInvariant(),
            });
        }
        return sections;
    }

    private static JsonObject Summary(JsonObject body) => Object(Object(body, "transcription"), "summary");

    /// <summary>The object in <paramref name="name"/>, created when the default request has none.</summary>
    private static JsonObject Object(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing) return existing;
        var created = new JsonObject();
        parent[name] = created;
        return created;
    }

    /// <summary>Quotes a value from the feed, cut short: reasons never echo large input back.</summary>
    private static string Echo(string value) => value.Length <= 50 ? value : value[..50] + "…";

    [GeneratedRegex(@"^\s*(?<width>\d{1,5})\s*[x×X]\s*(?<height>\d{1,5})\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ResolutionValue();

    [GeneratedRegex(@"^(?<title>.*\S)\s*\((?<format>[^()]*)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex SectionValue();
}
