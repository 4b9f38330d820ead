using System.Net;
using System.Text.RegularExpressions;

namespace RecordingFunctions.Scheduling;

/// <summary>One <c>100ms-&lt;key&gt;: &lt;value&gt;</c> line of an event's description; the key is lowercase, without <c>100ms-</c>.</summary>
internal sealed record EventInstruction(string Key, string Value);

/// <summary>
/// An event's DESCRIPTION as lines of text and the links in it. Calendars that write HTML (Google, Outlook) put
/// <c>&lt;br&gt;</c>, paragraphs and entities such as <c>&amp;nbsp;</c> in it: those become line breaks and characters,
/// other tags are dropped, and the targets of <c>&lt;a href&gt;</c> are kept as links.
/// </summary>
internal sealed partial class EventDescription
{
    public static readonly EventDescription Empty = new([], []);

    private EventDescription(IReadOnlyList<string> lines, IReadOnlyList<string> links)
    {
        Lines = lines;
        Links = links;
    }

    public IReadOnlyList<string> Lines { get; }

    /// <summary>http(s) links in the text and in <c>href</c> attributes, in the order they appear.</summary>
    public IReadOnlyList<string> Links { get; }

    /// <summary>The <c>100ms-*</c> lines, in the order they appear.</summary>
    public IEnumerable<EventInstruction> Instructions =>
        Lines.Select(line => InstructionLine().Match(line))
            .Where(match => match.Success)
            .Select(match => new EventInstruction(match.Groups["key"].Value.ToLowerInvariant(), match.Groups["value"].Value.Trim()));

    public static EventDescription Parse(string? description)
    {
        if (string.IsNullOrEmpty(description)) return Empty;

        var hrefs = Href().Matches(description).Select(m => WebUtility.HtmlDecode(m.Groups["url"].Value));
        var text = LineBreakTag().Replace(description, "\n");
        text = Tag().Replace(text, "");
        text = WebUtility.HtmlDecode(text).Replace('\u00A0', ' ');

        var lines = text.Split(["\r\n", "\n", "\r"], StringSplitOptions.None);
        var links = hrefs.Concat(FindLinks(text)).ToList();
        return new(lines, links);
    }

    /// <summary>http(s) links in plain text, without the punctuation that usually follows a link in a sentence.</summary>
    public static IEnumerable<string> FindLinks(string? text) =>
        string.IsNullOrEmpty(text) ? [] : Link().Matches(text).Select(m => m.Value.TrimEnd('.', ',', ';', ':', '!', '?', ')', ']', '}', '\'', '"'));

    [GeneratedRegex(@"^\s*100ms-(?<key>[A-Za-z0-9][A-Za-z0-9-]*)\s*:(?<value>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InstructionLine();

    [GeneratedRegex(@"<\s*br\s*/?\s*>|<\s*/?\s*(?:p|div|li|ul|ol|tr|h[1-6])\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LineBreakTag();

    [GeneratedRegex(@"<[A-Za-z/!][^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    [GeneratedRegex(@"<a\s[^>]*?href\s*=\s*(?:""(?<url>[^""]*)""|'(?<url>[^']*)')", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Href();

    [GeneratedRegex(@"https?://[^\s<>""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Link();
}
