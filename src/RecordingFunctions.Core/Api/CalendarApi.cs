using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using RecordingFunctions.Scheduling;

namespace RecordingFunctions.Api;

/// <summary>
/// <c>POST /api/calendar/sync</c>: with no body, syncs the configured feeds now (what the timer does);
/// with an iCalendar body and <c>?feed=name</c>, syncs that pushed feed. Answers with what changed.
/// </summary>
public sealed class CalendarApi(CalendarSync sync, IOptions<CalendarOptions> options)
{
    public async Task<IActionResult> SyncAsync(HttpRequest request, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var maxBytes = options.Value.MaxFeedBytes;
        var body = await HttpBodies.ReadLimitedAsync(request, maxBytes, cancellationToken);
        if (body is null) return Problems.TooLarge("A pushed calendar feed", maxBytes);
        if (body.Length == 0) return new OkObjectResult(await sync.SyncConfiguredFeedsAsync(durable, cancellationToken));

        var feedName = request.Query["feed"].ToString();
        if (!CalendarFeedOptions.IsValidName(feedName))
            return Problems.Validation([("feed", "A pushed feed needs ?feed=name: 1 to 64 letters, digits, '-' or '_'; it scopes what the feed may reschedule and cancel.")]);
        if (!System.Text.Unicode.Utf8.IsValid(body))
            return Problems.Validation([("body", "The feed must be UTF-8 encoded iCalendar text.")]);

        var report = await sync.SyncPushedFeedAsync(durable, feedName, System.Text.Encoding.UTF8.GetString(body), cancellationToken);
        if (report.Feeds.Single().Error is { } error)
            return Problems.Validation([("body", error)], "The feed is not a readable iCalendar feed; nothing was changed.");
        return new OkObjectResult(report);
    }
}
