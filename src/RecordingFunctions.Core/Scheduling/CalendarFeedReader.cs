using System.Globalization;
using System.Text.Json.Nodes;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;

namespace RecordingFunctions.Scheduling;

/// <summary>
/// Turns the text of one iCalendar feed into the meetings to record in a time window. Pure: no I/O, no clock, and the
/// same input always gives the same result. docs/calendar.md describes what an event must say to be recorded.
/// </summary>
/// <remarks>
/// Ical.Net parses the feed, expands RRULE, RDATE and EXDATE, and converts times to UTC. It resolves a TZID by its
/// name (IANA or Windows) in its own time zone database and does not read the feed's VTIMEZONE definitions; an event
/// whose TZID it does not know is skipped. Overridden occurrences (RECURRENCE-ID) are matched here, by instant.
/// </remarks>
public static class CalendarFeedReader
{
    /// <summary>Stops a recurrence rule that matches nothing (such as February 30th) instead of searching forever.</summary>
    private const int MaxUnmatchedIncrements = 10_000;

    private const int MaxMessageLength = 200;

    /// <summary>Reads the occurrences whose end is after <paramref name="windowStart"/> and whose start is before <paramref name="windowEnd"/>.</summary>
    /// <param name="defaultRequest">The start request body every event starts from; it is not modified.</param>
    /// <returns>Occurrences sorted by start then key; never throws for the content of <paramref name="icsText"/>.</returns>
    public static CalendarFeedResult Read(string feedName, string icsText, DateTimeOffset windowStart, DateTimeOffset windowEnd, JsonObject defaultRequest)
    {
        ArgumentNullException.ThrowIfNull(feedName);
        ArgumentNullException.ThrowIfNull(defaultRequest);
        if (windowEnd < windowStart) throw new ArgumentException("The window must not end before it starts.", nameof(windowEnd));

        var (events, feedError) = Load(icsText);
        if (feedError is not null) return new(feedName, [], [], feedError);

        var reading = new FeedReading(feedName, windowStart.UtcDateTime, windowEnd.UtcDateTime, defaultRequest);
        foreach (var feedEvent in events.Where(e => e.Uid is null))
            reading.Skip("", feedEvent.Event, TryStart(feedEvent.Event), "The event has no UID, so its recordings could not be told apart from one read of the feed to the next.");
        foreach (var series in events.Where(e => e.Uid is not null).GroupBy(e => e.Uid!, StringComparer.Ordinal))
            reading.Series(series.Key, series.ToList());

        return new(
            feedName,
            reading.Occurrences.OrderBy(o => o.StartsAt).ThenBy(o => o.OccurrenceKey, StringComparer.Ordinal).ToList(),
            reading.Skipped.OrderBy(s => s.StartsAt ?? DateTimeOffset.MinValue)
                .ThenBy(s => s.EventUid, StringComparer.Ordinal)
                .ThenBy(s => s.Reason, StringComparer.Ordinal)
                .ToList(),
            null);
    }

    // ----- loading -----

    /// <summary>A VEVENT of the feed, its position in it, and its UID when the feed gives one.</summary>
    private sealed record FeedEvent(CalendarEvent Event, int Position, string? Uid);

    private static (IReadOnlyList<FeedEvent> Events, string? Error) Load(string? icsText)
    {
        if (string.IsNullOrWhiteSpace(icsText)) return ([], "The feed is empty.");
        try
        {
            var calendars = CalendarCollection.Load(icsText);
            if (calendars.Count == 0) return ([], "The feed holds no VCALENDAR: it is not an iCalendar feed.");
            var events = calendars.SelectMany(c => c.Events).ToList();

            // Ical.Net gives an event without a UID a random one. A second read tells them apart: a UID from the feed
            // is the same both times.
            var again = CalendarCollection.Load(icsText).SelectMany(c => c.Events).ToList();
            return (events.Select((e, i) => new FeedEvent(e, i, e.Uid is { } uid && uid == again[i].Uid ? uid : null)).ToList(), null);
        }
        catch (Exception e)
        {
            return ([], "The feed is not valid iCalendar: " + OneLine(e.Message));
        }
    }

    // ----- one read -----

    private sealed class FeedReading(string feedName, DateTime windowStart, DateTime windowEnd, JsonObject defaultRequest)
    {
        public List<CalendarOccurrence> Occurrences { get; } = [];
        public List<SkippedCalendarEvent> Skipped { get; } = [];

        /// <summary>
        /// The VEVENTs sharing one UID: the event itself and the occurrences it overrides (RECURRENCE-ID). Of several
        /// versions of the same one, the highest SEQUENCE wins, then the last in the feed.
        /// </summary>
        public void Series(string uid, List<FeedEvent> versions)
        {
            var master = Latest(versions.Where(v => !IsOverride(v.Event)))?.Event;
            if (master is not null && IsCancelled(master)) return;

            // RANGE=THISANDFUTURE is rare in feeds; such an override replaces its own occurrence only.
            var overrides = new SortedDictionary<DateTime, CalendarEvent>();
            foreach (var version in versions.Where(v => IsOverride(v.Event)).OrderBy(v => v.Event.Sequence).ThenBy(v => v.Position))
            {
                var recurrenceId = version.Event.RecurrenceIdentifier?.StartTime;
                if (Utc(recurrenceId) is not { } originalStart)
                {
                    Skip(uid, version.Event, TryStart(version.Event), recurrenceId is null
                        ? "Its RECURRENCE-ID cannot be read."
                        : $"Its RECURRENCE-ID is in a time zone Ical.Net does not know ({ZoneOf(recurrenceId)}).");
                    continue;
                }
                overrides[originalStart] = version.Event;
            }

            var recurring = master is not null && (master.Properties.ContainsKey("RRULE") || master.Properties.ContainsKey("RDATE"));
            if (master is not null)
                Component(uid, master, start => recurring ? Key(uid, start) : uid, originalStart: null, replaced: overrides);
            foreach (var (recurrenceId, moved) in overrides)
            {
                if (IsCancelled(moved)) continue;
                var key = master is not null && !recurring ? uid : Key(uid, recurrenceId);
                Component(uid, moved, _ => key, originalStart: recurrenceId, replaced: null);
            }
        }

        /// <summary>
        /// One VEVENT's occurrences in the window. <paramref name="replaced"/> lists the original starts that other
        /// VEVENTs override; <paramref name="originalStart"/> is set for such an override.
        /// </summary>
        private void Component(string uid, CalendarEvent evt, Func<DateTime, string> keyOf, DateTime? originalStart, IDictionary<DateTime, CalendarEvent>? replaced)
        {
            var (problem, expandable) = TimeProblem(evt);
            if (!expandable)
            {
                Skip(uid, evt, TryStart(evt), problem!);
                return;
            }

            List<(DateTime Start, DateTime End)> instances;
            try
            {
                instances = Expand(evt);
            }
            catch (EvaluationLimitExceededException)
            {
                Skip(uid, evt, TryStart(evt), $"Its recurrence could not be expanded: its RRULE matched no date in {MaxUnmatchedIncrements} steps.");
                return;
            }
            catch (Exception e)
            {
                Skip(uid, evt, TryStart(evt), "Its recurrence could not be expanded: " + OneLine(e.Message));
                return;
            }

            // An override is one occurrence: its own DTSTART, even if it (wrongly) carries a recurrence rule.
            if (originalStart is not null) instances = instances.Where(i => i.Start == Utc(evt.DtStart)).Take(1).ToList();

            EventRecording? recording = null;
            foreach (var (start, end) in instances)
            {
                if (replaced is not null && replaced.ContainsKey(start)) continue;
                if (start >= windowEnd || !(end > windowStart || start >= windowStart)) continue;

                var startsAt = new DateTimeOffset(start, TimeSpan.Zero);
                if (problem is not null)
                {
                    Skip(uid, evt, startsAt, problem);
                    continue;
                }
                recording ??= EventRecording.Read(evt.Description, evt.Location, evt.Url?.OriginalString, defaultRequest);
                if (recording.Problem is not null)
                {
                    Skip(uid, evt, startsAt, recording.Problem);
                    continue;
                }
                Occurrences.Add(new(feedName, uid, keyOf(originalStart ?? start), recording.RoomId!, startsAt,
                    new DateTimeOffset(end, TimeSpan.Zero), evt.Summary, recording.RequestBody!.DeepClone().AsObject()));
            }
        }

        /// <summary>The event's occurrences that may touch the window, in UTC and in order; Ical.Net applies RRULE, RDATE and EXDATE.</summary>
        private List<(DateTime Start, DateTime End)> Expand(CalendarEvent evt)
        {
            // A second earlier: CalDateTime keeps whole seconds.
            var from = new CalDateTime(windowStart > DateTime.MinValue.AddSeconds(1) ? windowStart.AddSeconds(-1) : windowStart, CalDateTime.UtcTzId);
            var options = new EvaluationOptions { MaxUnmatchedIncrementsLimit = MaxUnmatchedIncrements };
            var instances = new List<(DateTime, DateTime)>();
            foreach (var occurrence in evt.GetOccurrences(from, options))
            {
                var start = occurrence.Period.StartTime.AsUtc;
                if (start >= windowEnd) break;
                instances.Add((start, (occurrence.Period.EffectiveEndTime ?? occurrence.Period.StartTime).AsUtc));
            }
            return instances;
        }

        public void Skip(string uid, CalendarEvent evt, DateTimeOffset? startsAt, string reason) =>
            Skipped.Add(new(uid, startsAt, evt.Summary, reason));

        private static FeedEvent? Latest(IEnumerable<FeedEvent> versions) =>
            versions.OrderBy(v => v.Event.Sequence).ThenBy(v => v.Position).LastOrDefault();

        private static bool IsOverride(CalendarEvent evt) => evt.Properties.ContainsKey("RECURRENCE-ID");

        private static bool IsCancelled(CalendarEvent evt) =>
            string.Equals(evt.Status, EventStatus.Cancelled, StringComparison.OrdinalIgnoreCase);

        private static string Key(string uid, DateTime originalStart) =>
            uid + "|" + originalStart.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
    }

    // ----- times -----

    /// <summary>
    /// Why the event's times cannot be recorded, if they cannot. Expandable problems (all-day, floating, no end) are
    /// reported for each occurrence in the window, the others once.
    /// </summary>
    private static (string? Problem, bool Expandable) TimeProblem(CalendarEvent evt)
    {
        var start = evt.DtStart;
        if (start is null) return ("It has no valid DTSTART.", false);

        var rules = evt.Properties.AllOf("RRULE").Select(p => p.Value).OfType<RecurrenceRule>().ToList();
        if (rules.Any(r => r.Frequency is FrequencyType.Secondly or FrequencyType.Minutely or FrequencyType.Hourly))
            return ("It recurs more often than daily (RRULE FREQ=SECONDLY, MINUTELY or HOURLY), which is not supported for recordings.", false);

        if (Utc(start) is not { } startUtc)
            return ($"Its DTSTART is in a time zone Ical.Net does not know ({ZoneOf(start)}); use an IANA name such as Europe/Berlin or a Windows name.", false);
        if (!start.HasTime)
            return ("It is an all-day event (DTSTART is a date without a time); give it a start and an end time to record it.", true);
        if (start.IsFloating)
            return ("Its DTSTART is a floating time (no TZID and no Z), which means a different instant in every time zone; give it a time zone.", true);

        if (evt.DtEnd is null && evt.Duration is null)
            return ("It has neither DTEND nor DURATION, so its end is unknown.", true);
        DateTime? endUtc;
        try
        {
            endUtc = evt.DtEnd is { } end ? Utc(end) : Utc(start.Add(evt.Duration!.Value));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            endUtc = null;
        }
        if (endUtc is null)
            return ($"Its end cannot be read ({OneLine(evt.DtEnd is null ? "DURATION" : ZoneOf(evt.DtEnd))}).", false);
        if (endUtc <= startUtc)
            return ("It ends before it starts, or when it starts.", false);
        return (null, true);
    }

    /// <summary>The instant in UTC, or null when Ical.Net does not know the time zone.</summary>
    private static DateTime? Utc(CalDateTime? time)
    {
        if (time is null) return null;
        try
        {
            return time.AsUtc;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static DateTimeOffset? TryStart(CalendarEvent evt) =>
        Utc(evt.DtStart) is { } start ? new DateTimeOffset(start, TimeSpan.Zero) : null;

    private static string ZoneOf(CalDateTime time) => "TZID=" + time.TzId;

    private static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ");
        return line.Length <= MaxMessageLength ? line : line[..MaxMessageLength] + "…";
    }
}
