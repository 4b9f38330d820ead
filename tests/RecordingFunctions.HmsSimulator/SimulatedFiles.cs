using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace RecordingFunctions.HmsSimulator;

/// <summary>
/// The transcript (txt, srt, json), summary and chat files of a recording: one deterministic synthetic dialogue,
/// so the three transcripts agree with each other line for line.
/// </summary>
public static class SimulatedFiles
{
    private static readonly (string Name, string PeerId)[] Speakers =
    [
        ("Asha", "0f8fad5b-d9cb-469f-a165-70867728950e"),
        ("Bruno", "7c9e6679-7425-40de-944b-e07fc1f90ae7"),
        ("Chen", "9b2d1c4e-5f6a-4b7c-8d9e-0a1b2c3d4e5f"),
    ];

    private static readonly string[] Lines =
    [
        "Good morning everyone, let's get started with the weekly sync.",
        "The release candidate passed all integration tests last night.",
        "We still need to review the storage costs before Friday.",
        "I will send the updated dashboard to the team after this call.",
        "Customers asked for transcripts in more languages.",
        "Let's plan that for the next quarter and collect requirements first.",
        "The on-call rotation for December is now published.",
        "Thanks, that covers the agenda for today.",
    ];

    /// <summary>One sentence every 30 simulated seconds, at least two, at most 400.</summary>
    public static IReadOnlyList<Sentence> Dialogue(SimulatedRecording recording)
    {
        var count = Math.Clamp(recording.Duration / 30, 2, 400);
        var seed = Convert.ToInt32(recording.Id[^6..], 16);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var speaker = Speakers[(seed + i) % Speakers.Length];
            var start = i * 30_000L + 1_010;
            return new Sentence(speaker.Name, speaker.PeerId, Lines[(seed + i) % Lines.Length], start, start + 11_860);
        })];
    }

    public static byte[] Transcript(SimulatedRecording recording, string mode)
    {
        var dialogue = Dialogue(recording);
        return Encoding.UTF8.GetBytes(mode switch
        {
            "txt" => string.Join("\n\n", dialogue.Select(s => $"{s.Speaker}: {s.Text}")) + "\n",
            "srt" => string.Concat(dialogue.Select((s, i) => $"{i + 1}\n{Srt(s.Start)} --> {Srt(s.End)}\n{s.Speaker}: {s.Text}\n\n")),
            _ => TranscriptJson(dialogue),
        });
    }

    private static string TranscriptJson(IReadOnlyList<Sentence> dialogue)
    {
        var words = new JsonArray();
        foreach (var sentence in dialogue)
        {
            var parts = sentence.Text.Split(' ');
            var step = (sentence.End - sentence.Start) / parts.Length;
            for (var i = 0; i < parts.Length; i++)
            {
                words.Add(new JsonObject
                {
                    ["word"] = parts[i].Trim('.', ',', '!', '?'),
                    ["name"] = sentence.Speaker,
                    ["peer_id"] = sentence.PeerId,
                    ["start_time"] = (sentence.Start + i * step).ToString(CultureInfo.InvariantCulture),
                    ["end_time"] = (sentence.Start + (i + 1) * step).ToString(CultureInfo.InvariantCulture),
                });
            }
        }
        var sentences = new JsonArray([.. dialogue.Select(s => (JsonNode)new JsonObject
        {
            ["sentence"] = s.Text,
            ["name"] = s.Speaker,
            ["peer_id"] = s.PeerId,
            ["start_time"] = s.Start.ToString(CultureInfo.InvariantCulture),
            ["end_time"] = s.End.ToString(CultureInfo.InvariantCulture),
        })]);
        return new JsonObject { ["words"] = words, ["sentences"] = sentences }.ToJsonString();
    }

    public static byte[] Summary(SimulatedRecording recording, SummaryShape shape, string? replacement = null)
    {
        if (replacement is not null) return Encoding.UTF8.GetBytes(replacement);
        IEnumerable<(string Title, string Format)> requested = recording.SummarySections.Count > 0
            ? recording.SummarySections
            : [("Agenda", "bullets"), ("Key Points Discussed", "bullets"), ("Follow Up Action Items", "bullets"), ("Short Summary", "paragraph")];
        var dialogue = Dialogue(recording);
        var sections = new JsonArray
        {
            Section("Speakers", "bullets", dialogue.Select(s => s.Speaker).Distinct().ToList(), ""),
        };
        foreach (var (title, format) in requested)
        {
            var points = dialogue.Select(s => s.Text).Distinct().Take(3).ToList();
            sections.Add(format == "paragraph"
                ? Section(title, format, [], $"{title}: " + string.Join(" ", points))
                : Section(title, format, [.. points.Select(p => $"{title} — {p}")], ""));
        }
        JsonObject file = shape == SummaryShape.Bare
            ? new JsonObject { ["sections"] = sections }
            : new JsonObject { ["summary"] = new JsonObject { ["sections"] = sections } };
        return Encoding.UTF8.GetBytes(file.ToJsonString());
    }

    public static byte[] Chat(SimulatedRecording recording) => Encoding.UTF8.GetBytes(
        "timestamp,sender,message\n" + string.Concat(Dialogue(recording).Take(3).Select(s => $"{s.Start},{s.Speaker},\"{s.Text}\"\n")));

    private static JsonObject Section(string title, string format, List<string> bullets, string paragraph) => new()
    {
        ["title"] = title,
        ["format"] = format,
        ["bullets"] = new JsonArray([.. bullets.Select(b => (JsonNode)b)]),
        ["paragraph"] = paragraph,
    };

    private static string Srt(long milliseconds) =>
        TimeSpan.FromMilliseconds(milliseconds).ToString(@"hh\:mm\:ss\,fff", CultureInfo.InvariantCulture);

    public sealed record Sentence(string Speaker, string PeerId, string Text, long Start, long End);
}
