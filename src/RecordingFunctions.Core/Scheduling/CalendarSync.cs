using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecordingFunctions.Pipeline;
using RecordingFunctions.Validation;

namespace RecordingFunctions.Scheduling;

/// <summary>
/// Makes the pipelines match the calendars: one pipeline per upcoming occurrence (its id derived from the feed and the
/// occurrence, so syncing twice changes nothing), rescheduled when the meeting moves, cancelled when it is cancelled or
/// deleted. Used by the timer, by <c>POST /api/calendar/sync</c>, and by feeds pushed to that endpoint.
/// </summary>
public sealed class CalendarSync(
    CalendarFeedSource source, IOptions<CalendarOptions> calendarOptions, IOptions<PipelineOptions> pipelineOptions,
    PipelineStore store, TimeProvider clock, ILogger<CalendarSync> logger)
{
    /// <summary>Syncs every configured feed; one that cannot be fetched or read is reported and leaves its pipelines alone.</summary>
    public async Task<CalendarSyncReport> SyncConfiguredFeedsAsync(DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var feeds = new List<(string Name, Func<Task<string>> Fetch)>();
        foreach (var feed in calendarOptions.Value.Feeds)
            feeds.Add((feed.Name, () => source.FetchAsync(feed, cancellationToken)));
        return await SyncAsync(durable, feeds, cancellationToken);
    }

    /// <summary>Syncs one feed whose text a scheduler pushed.</summary>
    public Task<CalendarSyncReport> SyncPushedFeedAsync(DurableTaskClient durable, string feedName, string icsText, CancellationToken cancellationToken) =>
        SyncAsync(durable, [(feedName, () => Task.FromResult(icsText))], cancellationToken);

    private async Task<CalendarSyncReport> SyncAsync(
        DurableTaskClient durable, IReadOnlyList<(string Name, Func<Task<string>> Fetch)> feeds, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var active = await ActiveCalendarPipelinesAsync(durable, cancellationToken);
        var reports = new List<FeedSyncReport>();
        foreach (var (name, fetch) in feeds)
        {
            FeedSyncReport report;
            try
            {
                report = await SyncFeedAsync(durable, name, await fetch(), now, active.GetValueOrDefault(name, []), cancellationToken);
            }
            catch (CalendarFeedUnavailableException e)
            {
                report = new FeedSyncReport { Feed = name, Error = e.Message };
            }
            if (report.Error is not null) logger.LogWarning("Calendar feed {Feed} was not synced: {Error}", name, report.Error);
            else
                logger.LogInformation("Calendar feed {Feed}: {Scheduled} scheduled, {Rescheduled} rescheduled, {Cancelled} cancelled, {Unchanged} unchanged, {Skipped} skipped",
                    name, report.Scheduled.Count, report.Rescheduled.Count, report.Cancelled.Count, report.Unchanged, report.Skipped.Count);
            reports.Add(report);
        }
        return new CalendarSyncReport(now, reports);
    }

    private async Task<FeedSyncReport> SyncFeedAsync(
        DurableTaskClient durable, string feedName, string icsText, DateTimeOffset now,
        IReadOnlyList<CalendarPipeline> active, CancellationToken cancellationToken)
    {
        var options = calendarOptions.Value;
        var defaultRequest = JsonNode.Parse(options.DefaultRequest)!.AsObject();
        // Read as far ahead as anything can be scheduled, so a meeting moved past the look-ahead is moved, not cancelled.
        var read = CalendarFeedReader.Read(feedName, icsText, now, now + ScheduleLimits.MaxLeadTime, defaultRequest);
        if (read.FeedError is not null) return new FeedSyncReport { Feed = feedName, Error = read.FeedError };

        var report = new FeedSyncReport { Feed = feedName, Skipped = [.. read.Skipped] };
        var wanted = new Dictionary<string, (CalendarOccurrence Occurrence, PipelineInput Input)>();
        foreach (var occurrence in read.Occurrences)
        {
            var input = InputFor(occurrence, now, out var problem);
            if (input is null)
            {
                report.Skipped.Add(new SkippedCalendarEvent(occurrence.EventUid, occurrence.StartsAt, occurrence.Title, problem!));
                continue;
            }
            wanted[PipelineInstanceIds.ForCalendarOccurrence(occurrence.RoomId, feedName, occurrence.OccurrenceKey)] = (occurrence, input);
        }

        var activeById = active.ToDictionary(p => p.InstanceId);
        foreach (var (instanceId, (occurrence, input)) in wanted)
        {
            if (activeById.TryGetValue(instanceId, out var pipeline))
            {
                if (await RescheduleIfMovedAsync(durable, pipeline, input.Schedule!, now, cancellationToken)) report.Rescheduled.Add(instanceId);
                else report.Unchanged++;
            }
            else if (occurrence.StartsAt < now + options.LookAhead)
            {
                if (await ScheduleAsync(durable, instanceId, input, cancellationToken)) report.Scheduled.Add(instanceId);
                else report.Unchanged++;
            }
        }

        foreach (var pipeline in active.Where(p => !wanted.ContainsKey(p.InstanceId) && p.Phase == PipelinePhase.Scheduled))
        {
            await store.SendAsync(durable, pipeline.InstanceId, new PipelineCommand
            {
                Action = PipelineCommand.Cancel,
                Reason = "the calendar event was cancelled or deleted",
                By = PipelineCommand.ByCalendar,
            }, cancellationToken);
            report.Cancelled.Add(pipeline.InstanceId);
        }
        return report;
    }

    /// <summary>The pipeline input for an occurrence: its request with its times, validated like a start request.</summary>
    private PipelineInput? InputFor(CalendarOccurrence occurrence, DateTimeOffset now, out string? problem)
    {
        var body = occurrence.RequestBody.DeepClone().AsObject();
        // A meeting already under way is recorded from now until its end.
        var startAt = occurrence.StartsAt > now ? occurrence.StartsAt : (DateTimeOffset?)null;
        if (startAt is not null) body["start_at"] = Rfc3339(occurrence.StartsAt);
        // A meeting longer than 100ms can record is recorded for as long as 100ms allows, like a recording left running.
        var longest = (startAt ?? now) + pipelineOptions.Value.MaxRecordingDuration;
        body["stop_at"] = Rfc3339(occurrence.EndsAt < longest ? occurrence.EndsAt : longest);
        var validation = StartRecordingValidator.Validate(occurrence.RoomId, JsonSerializer.SerializeToUtf8Bytes(body),
            new ScheduleLimits(now, pipelineOptions.Value.MaxRecordingDuration));
        if (!validation.IsValid)
        {
            problem = "The start request for this event is invalid: " + string.Join("; ", validation.Errors.Select(e => $"{e.Path}: {e.Message}"));
            return null;
        }
        problem = null;
        return new PipelineInput(occurrence.RoomId, validation.Request!, pipelineOptions.Value, validation.Schedule,
            new CalendarSource(occurrence.FeedName, occurrence.EventUid, occurrence.OccurrenceKey, occurrence.Title));
    }

    private static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ");

    private async Task<bool> RescheduleIfMovedAsync(
        DurableTaskClient durable, CalendarPipeline pipeline, RecordingSchedule wanted, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A start that has come is "now" on both sides: the pipeline is about to start.
        static DateTimeOffset? Upcoming(DateTimeOffset? start, DateTimeOffset now) => start > now ? start : null;
        var moved = pipeline.Phase switch
        {
            PipelinePhase.Scheduled => Upcoming(pipeline.Schedule?.StartAt, now) != Upcoming(wanted.StartAt, now)
                || pipeline.Schedule?.StopAt != wanted.StopAt,
            // Once recording, only the end can still move.
            PipelinePhase.Starting or PipelinePhase.Recording => pipeline.Schedule?.StopAt != wanted.StopAt,
            _ => false,
        };
        if (!moved) return false;
        await store.SendAsync(durable, pipeline.InstanceId,
            new PipelineCommand { Action = PipelineCommand.Reschedule, Schedule = wanted, By = PipelineCommand.ByCalendar }, cancellationToken);
        return true;
    }

    /// <summary>Schedules a new pipeline; false when the occurrence already has one (a finished one is left alone).</summary>
    private async Task<bool> ScheduleAsync(DurableTaskClient durable, string instanceId, PipelineInput input, CancellationToken cancellationToken)
    {
        var existing = await store.GetAsync(durable, instanceId, cancellationToken);
        if (existing is not null)
        {
            // Only a pipeline the calendar itself cancelled comes back, when its meeting does.
            var record = existing.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? PipelineStore.RecordOf(existing) : null;
            if (record is not { Phase: PipelinePhase.Cancelled, CancelledBy: PipelineCommand.ByCalendar }) return false;
            await durable.PurgeInstanceAsync(instanceId, cancellation: cancellationToken);
        }
        // False when another sync (the timer and a push at once) created it first.
        return await store.CreateAsync(durable, instanceId, input, cancellationToken);
    }

    /// <summary>Every running pipeline a calendar scheduled, by feed.</summary>
    private async Task<Dictionary<string, List<CalendarPipeline>>> ActiveCalendarPipelinesAsync(DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var byFeed = new Dictionary<string, List<CalendarPipeline>>(StringComparer.Ordinal);
        await foreach (var instance in store.ListActiveAsync(durable, instanceIdPrefix: null, cancellationToken))
        {
            if (PipelineStore.RecordOf(instance) is not { Calendar: { } calendar } record) continue;
            var pipeline = new CalendarPipeline(instance.InstanceId, record.Phase, record.Schedule);
            if (!byFeed.TryGetValue(calendar.Feed, out var list)) byFeed[calendar.Feed] = list = [];
            list.Add(pipeline);
        }
        return byFeed;
    }

    private sealed record CalendarPipeline(string InstanceId, PipelinePhase Phase, RecordingSchedule? Schedule);
}

/// <summary>What a sync did, feed by feed.</summary>
public sealed record CalendarSyncReport(
    [property: JsonPropertyName("synced_at")] DateTimeOffset SyncedAt,
    [property: JsonPropertyName("feeds")] IReadOnlyList<FeedSyncReport> Feeds);

public sealed record FeedSyncReport
{
    [JsonPropertyName("feed")] public required string Feed { get; init; }
    /// <summary>Why the feed was not synced; its pipelines were left as they were.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("scheduled")] public List<string> Scheduled { get; init; } = [];
    [JsonPropertyName("rescheduled")] public List<string> Rescheduled { get; init; } = [];
    [JsonPropertyName("cancelled")] public List<string> Cancelled { get; init; } = [];
    [JsonPropertyName("unchanged")] public int Unchanged { get; set; }
    [JsonPropertyName("skipped")] public List<SkippedCalendarEvent> Skipped { get; init; } = [];
}
