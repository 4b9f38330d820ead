using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace RecordingFunctions.Scheduling;

/// <summary>
/// What one iCalendar feed asks to record in a time window. A feed that cannot be read has <see cref="FeedError"/> set
/// and no occurrences; events that can be read but not recorded are listed in <see cref="Skipped"/> with the reason.
/// </summary>
public sealed record CalendarFeedResult(
    string FeedName,
    IReadOnlyList<CalendarOccurrence> Occurrences,
    IReadOnlyList<SkippedCalendarEvent> Skipped,
    string? FeedError);

/// <summary>One meeting to record.</summary>
/// <param name="OccurrenceKey">
/// Stable while the meeting moves: the UID for a single event; for an occurrence of a recurring event the UID, <c>|</c>
/// and the occurrence's original start (its RECURRENCE-ID) in UTC as <c>yyyyMMddTHHmmssZ</c>. It may contain any
/// character a UID may contain.
/// </param>
/// <param name="StartsAt">The start, in UTC.</param>
/// <param name="EndsAt">The end, in UTC.</param>
/// <param name="Title">The event's SUMMARY.</param>
/// <param name="RequestBody">The start request body for this occurrence: the default request with the event's overrides (the sync validates it with the occurrence's times).</param>
public sealed record CalendarOccurrence(
    string FeedName,
    string EventUid,
    string OccurrenceKey,
    string RoomId,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string? Title,
    JsonObject RequestBody);

/// <summary>An event, or one occurrence of it, that will not be recorded, and why.</summary>
/// <param name="EventUid">The event's UID; empty when the event has none.</param>
/// <param name="StartsAt">The occurrence's start in UTC, or null when the event's times cannot be read.</param>
/// <param name="Title">The event's SUMMARY, to tell people which meeting it is.</param>
public sealed record SkippedCalendarEvent(
    [property: JsonPropertyName("event_uid")] string EventUid,
    [property: JsonPropertyName("starts_at")] DateTimeOffset? StartsAt,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("reason")] string Reason);
