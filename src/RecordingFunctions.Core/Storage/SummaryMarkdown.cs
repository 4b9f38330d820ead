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
            markdown.Append("## ").Append(OneLine(section.Title)).Append("\n\n");
            var bullets = section.Bullets?.Where(b => !string.IsNullOrWhiteSpace(b)).ToList() ?? [];
            if (section.Format == "bullets" || (bullets.Count > 0 && string.IsNullOrWhiteSpace(section.Paragraph)))
            {
                foreach (var bullet in bullets) markdown.Append("- ").Append(OneLine(bullet)).Append('\n');
                if (bullets.Count == 0) markdown.Append("_Nothing noted._\n");
            }
            else
            {
                markdown.Append(string.IsNullOrWhiteSpace(section.Paragraph) ? "_Nothing noted._" : section.Paragraph.Trim()).Append('\n');
            }
            markdown.Append('\n');
        }
        return markdown.ToString().TrimEnd('\n') + "\n";
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
