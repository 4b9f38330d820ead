using RecordingFunctions.Pipeline;

namespace RecordingFunctions.Scheduling;

/// <summary>
/// The iCalendar feeds whose meetings are recorded. Configuration section <c>Calendar</c>
/// (<c>Calendar__Feeds__0__Name</c>, <c>Calendar__Feeds__0__Url</c>, …). The timer's CRON schedule is the app setting
/// <c>CalendarSyncSchedule</c>, read by the Functions host.
/// </summary>
public sealed class CalendarOptions
{
    public const string Section = "Calendar";

    public List<CalendarFeedOptions> Feeds { get; set; } = [];

    /// <summary>Pipelines are created for occurrences starting within this window; later ones on a later sync.</summary>
    public TimeSpan LookAhead { get; set; } = TimeSpan.FromDays(2);

    /// <summary>The start body for every event, before the event's own <c>100ms-*</c> lines (same JSON as the start API).</summary>
    public string DefaultRequest { get; set; } = """{"transcription":{"enabled":true,"summary":{"enabled":true}}}""";

    public int MaxFeedBytes { get; set; } = 4 * 1024 * 1024;

    public TimeSpan FeedTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Allows <c>http://</c> feed URLs: for local runs only.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>What is wrong with these settings; checked when the app starts.</summary>
    public IEnumerable<string> Problems()
    {
        if (LookAhead <= TimeSpan.Zero || LookAhead > ScheduleLimits.MaxLeadTime)
            yield return $"Calendar:LookAhead must be positive and at most {ScheduleLimits.MaxLeadTime.TotalDays:0} days.";
        if (MaxFeedBytes <= 0) yield return "Calendar:MaxFeedBytes must be positive.";
        if (FeedTimeout <= TimeSpan.Zero) yield return "Calendar:FeedTimeout must be positive.";
        if (!IsJsonObject(DefaultRequest)) yield return "Calendar:DefaultRequest must be a JSON object like the start API's body.";
        for (var i = 0; i < Feeds.Count; i++)
        {
            var feed = Feeds[i];
            if (!CalendarFeedOptions.IsValidName(feed.Name))
                yield return $"Calendar:Feeds:{i}:Name must be 1 to 64 letters, digits, '-' or '_'.";
            if ((feed.Url is null) == (feed.Blob is null))
                yield return $"Calendar:Feeds:{i} needs exactly one of Url (https) or Blob (container/path.ics).";
            else if (feed.Url is not null && !(feed.Url.IsAbsoluteUri && (feed.Url.Scheme == "https" || (AllowHttp && feed.Url.Scheme == "http"))))
                yield return $"Calendar:Feeds:{i}:Url must be an https URL{(AllowHttp ? " or http" : "")}.";
            else if (feed.Blob is not null && feed.Blob.Split('/', 2) is not [{ Length: > 0 }, { Length: > 0 }])
                yield return $"Calendar:Feeds:{i}:Blob must be container/path.";
        }
        foreach (var duplicate in Feeds.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            yield return $"Calendar:Feeds has the name '{duplicate.Key}' more than once.";
    }

    private static bool IsJsonObject(string json)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(json) is System.Text.Json.Nodes.JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}

/// <summary>One feed: an HTTPS URL (a calendar's secret iCal address) or a blob in the app's storage account.</summary>
public sealed class CalendarFeedOptions
{
    /// <summary>Names the feed in pipeline ids and reports; renaming a feed re-creates its pipelines.</summary>
    public string Name { get; set; } = "";
    public Uri? Url { get; set; }
    /// <summary><c>container/path.ics</c> in the storage account the recordings go to.</summary>
    public string? Blob { get; set; }

    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= 64 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
