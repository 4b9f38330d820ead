using System.Text;
using RecordingFunctions.Hms;

namespace RecordingFunctions.Storage;

/// <summary>Renders 100ms's summary for people: one heading per section, bullets as a list, paragraphs as text.</summary>
public static class SummaryMarkdown
{
    public static string Render(HmsSummary summary, string? title = null)
    {
        var markdown = new StringBuilder();
        markdown.Append("# ").Append(title ?? "Meeting summary").Append("\n\n");
        foreach (var section in summary.Sections)
        {
            markdown.Append("## ").Append(string.IsNullOrWhiteSpace(section.Title) ? "Untitled" : OneLine(section.Title)).Append("\n\n");
            var bullets = section.Bullets?.Where(b => !string.IsNullOrWhiteSpace(b)).Select(OneLine).ToList() ?? [];
            var paragraph = string.IsNullOrWhiteSpace(section.Paragraph) ? null : section.Paragraph.Trim();
            // Whatever the format says, nothing the section holds is dropped; its format only decides the order.
            var parts = new List<string>();
            if (paragraph is not null) parts.Add(paragraph + "\n");
            if (bullets.Count > 0) parts.Insert(section.Format == "paragraph" ? parts.Count : 0, string.Concat(bullets.Select(b => $"- {b}\n")));
            markdown.Append(parts.Count == 0 ? "_Nothing noted._\n" : string.Join("\n", parts)).Append('\n');
        }
        return markdown.ToString().TrimEnd('\n') + "\n";
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
