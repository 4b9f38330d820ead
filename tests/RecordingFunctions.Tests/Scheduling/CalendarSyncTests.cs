using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Microsoft.DurableTask.Client;
using RecordingFunctions.HmsSimulator;
using RecordingFunctions.Pipeline;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Scheduling;

/// <summary>
/// Calendar feeds in Azurite blobs and pushed over HTTP, synced into pipelines on the real in-process Durable engine:
/// one pipeline per occurrence however often the sync runs; moves, cancellations and deletions followed.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CalendarSyncTests(AzuriteFixture azurite)
{
    private readonly string feedContainer = "feeds" + Guid.NewGuid().ToString("N")[..12];

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'");

    private static string Feed(params string[] events) =>
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//RecordingFunctions tests//EN\r\n" + string.Concat(events) + "END:VCALENDAR\r\n";

    private static string Event(string uid, DateTimeOffset start, TimeSpan length, string? room, string extra = "") =>
        $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{Utc(start)}\r\nDTEND:{Utc(start + length)}\r\nSUMMARY:Meeting {uid}\r\n"
        + (room is null ? "DESCRIPTION:No room here\r\n" : $"DESCRIPTION:Agenda first.\\n100ms-room-id: {room}\r\n") + extra + "END:VEVENT\r\n";

    private Dictionary<string, string?> Feeds(params string[] names)
    {
        var settings = new Dictionary<string, string?> { ["Calendar:LookAhead"] = "7.00:00:00", ["Pipeline:MaxRecordingDuration"] = "04:00:00" };
        for (var i = 0; i < names.Length; i++)
        {
            settings[$"Calendar:Feeds:{i}:Name"] = names[i];
            settings[$"Calendar:Feeds:{i}:Blob"] = $"{feedContainer}/{names[i]}.ics";
        }
        return settings;
    }

    private async Task PublishAsync(string name, string ics)
    {
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(feedContainer);
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient($"{name}.ics").UploadAsync(BinaryData.FromString(ics), overwrite: true);
    }

    private static async Task<JsonObject> SyncAsync(PipelineHarness harness)
    {
        var response = await harness.Api.PostAsync("api/calendar/sync", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static JsonObject FeedReport(JsonObject report, string feed) =>
        report["feeds"]!.AsArray().Single(f => f!["feed"]!.GetValue<string>() == feed)!.AsObject();

    private static List<string> Ids(JsonObject feedReport, string list) =>
        feedReport[list]!.AsArray().Select(i => i!.GetValue<string>()).ToList();

    private static async Task<List<OrchestrationMetadata>> PipelinesAsync(PipelineHarness harness) =>
        await harness.Durable.GetAllInstancesAsync(new OrchestrationQuery { FetchInputsAndOutputs = true }).CollectAsync();

    [Fact]
    public async Task Two_syncs_schedule_exactly_one_pipeline_per_occurrence_and_skip_events_without_a_room()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString, settings: Feeds("team"));
        var (roomA, roomB) = (harness.NewRoomId(), harness.NewRoomId());
        var tomorrow = DateTimeOffset.UtcNow.Date.AddDays(1).AddHours(9);
        await PublishAsync("team", Feed(
            Event("standup", new DateTimeOffset(tomorrow, TimeSpan.Zero), TimeSpan.FromMinutes(15), roomA, "RRULE:FREQ=DAILY;COUNT=3\r\n"),
            Event("review", new DateTimeOffset(tomorrow, TimeSpan.Zero).AddHours(5), TimeSpan.FromHours(1), roomB),
            Event("lunch", new DateTimeOffset(tomorrow, TimeSpan.Zero).AddHours(3), TimeSpan.FromHours(1), room: null),
            Event("workshop", new DateTimeOffset(tomorrow, TimeSpan.Zero).AddDays(2), TimeSpan.FromHours(6), roomA),
            Event("next-month", new DateTimeOffset(tomorrow, TimeSpan.Zero).AddDays(30), TimeSpan.FromHours(1), roomB)));

        // The first run is the timer function itself, the second the HTTP endpoint: both are the same sync.
        var timerFunction = ActivatorUtilities.CreateInstance<RecordingFunctions.Functions.CalendarFunctions>(harness.App.Services);
        await timerFunction.SyncOnTimer(new Microsoft.Azure.Functions.Worker.TimerInfo(), harness.Durable, new Mock<Microsoft.Azure.Functions.Worker.FunctionContext>().Object);
        var first = new JsonObject { ["scheduled"] = new JsonArray([.. (await PipelinesAsync(harness)).Select(p => JsonValue.Create(p.InstanceId))]) };
        var second = FeedReport(await SyncAsync(harness), "team");

        Assert.True(Ids(first, "scheduled").Count == 5, first.ToJsonString());
        Assert.Empty(Ids(second, "scheduled"));
        Assert.Empty(Ids(second, "rescheduled"));
        Assert.Equal(5, second["unchanged"]!.GetValue<int>());
        var skipped = second["skipped"]!.AsArray().Single()!;
        Assert.Contains("100ms-room-id", skipped.ToJsonString());
        var pipelines = await PipelinesAsync(harness);
        Assert.Equal(Ids(first, "scheduled").Order(), pipelines.Select(p => p.InstanceId).Order());
        Assert.Equal(4, pipelines.Count(p => p.InstanceId.StartsWith(roomA)));
        var workshop = pipelines.Select(p => p.ReadInputAs<PipelineInput>()!).Single(i => i.Calendar!.EventUid == "workshop");
        Assert.Equal(TimeSpan.FromHours(4), workshop.Schedule!.StopAt - workshop.Schedule.StartAt);
        var review = pipelines.Single(p => p.InstanceId.StartsWith(roomB)).ReadInputAs<PipelineInput>()!;
        Assert.Equal(new DateTimeOffset(tomorrow, TimeSpan.Zero).AddHours(5), review.Schedule!.StartAt);
        Assert.Equal(new DateTimeOffset(tomorrow, TimeSpan.Zero).AddHours(6), review.Schedule.StopAt);
        Assert.Equal("team", review.Calendar!.Feed);
        Assert.True(review.Request.Transcription!.Summary!.Enabled, "the default request asks for a summary");
        Assert.Equal(0, harness.Simulator.Engine.CallsTo(Endpoints.Start));
    }

    [Fact]
    public async Task A_weekly_meeting_in_Berlin_keeps_its_local_time_across_the_next_daylight_saving_change()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var firstMonday = DateTime.UtcNow.Date.AddDays(1);
        while (firstMonday.DayOfWeek != DayOfWeek.Monday) firstMonday = firstMonday.AddDays(1);
        var change = firstMonday;
        while (berlin.GetUtcOffset(change) == berlin.GetUtcOffset(firstMonday)) change = change.AddDays(1);
        var weeks = (int)((change - firstMonday).TotalDays / 7) + 3;

        var settings = Feeds("berlin");
        settings["Calendar:LookAhead"] = $"{weeks * 7 + 1}.00:00:00";
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString, settings: settings);
        var room = harness.NewRoomId();
        await PublishAsync("berlin", Feed(
            "BEGIN:VEVENT\r\nUID:weekly-berlin\r\nDTSTAMP:20260101T000000Z\r\n"
            + $"DTSTART;TZID=Europe/Berlin:{firstMonday:yyyyMMdd}T100000\r\nDTEND;TZID=Europe/Berlin:{firstMonday:yyyyMMdd}T110000\r\n"
            + $"RRULE:FREQ=WEEKLY;COUNT={weeks}\r\nSUMMARY:Weekly\r\nLOCATION:https://acme.app.100ms.live/preview/{room}/host\r\nEND:VEVENT\r\n"));

        var report = FeedReport(await SyncAsync(harness), "berlin");

        Assert.Equal(weeks, Ids(report, "scheduled").Count);
        var starts = (await PipelinesAsync(harness)).Select(p => p.ReadInputAs<PipelineInput>()!.Schedule!.StartAt!.Value).Order().ToList();
        Assert.Equal(weeks, starts.Count);
        foreach (var start in starts)
        {
            var local = TimeZoneInfo.ConvertTime(start, berlin);
            Assert.Equal((10, 0, DayOfWeek.Monday), (local.Hour, local.Minute, local.DayOfWeek));
        }
        Assert.True(starts.Select(s => berlin.GetUtcOffset(s)).Distinct().Count() == 2, "the occurrences straddle a daylight-saving change");
    }

    [Fact]
    public async Task A_moved_occurrence_is_rescheduled_and_cancelled_or_deleted_ones_are_cancelled()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString, settings: Feeds("team"));
        var room = harness.NewRoomId();
        var other = harness.NewRoomId();
        var monday = new DateTimeOffset(DateTimeOffset.UtcNow.Date.AddDays(1).AddHours(14), TimeSpan.Zero);
        var weekly = Event("sync", monday, TimeSpan.FromMinutes(30), room, "RRULE:FREQ=DAILY;COUNT=3\r\n");
        await PublishAsync("team", Feed(weekly, Event("one-off", monday.AddHours(2), TimeSpan.FromHours(1), other)));
        var scheduled = Ids(FeedReport(await SyncAsync(harness), "team"), "scheduled");
        Assert.Equal(4, scheduled.Count);

        // The second occurrence moves two hours later, the third is cancelled, and the one-off is deleted.
        var moved = "BEGIN:VEVENT\r\nUID:sync\r\nDTSTAMP:20260102T000000Z\r\n" + $"RECURRENCE-ID:{Utc(monday.AddDays(1))}\r\n"
            + $"DTSTART:{Utc(monday.AddDays(1).AddHours(2))}\r\nDTEND:{Utc(monday.AddDays(1).AddHours(2.5))}\r\nSUMMARY:Moved\r\n"
            + $"DESCRIPTION:100ms-room-id: {room}\r\nSEQUENCE:1\r\nEND:VEVENT\r\n";
        var cancelled = "BEGIN:VEVENT\r\nUID:sync\r\nDTSTAMP:20260102T000000Z\r\n" + $"RECURRENCE-ID:{Utc(monday.AddDays(2))}\r\n"
            + $"DTSTART:{Utc(monday.AddDays(2))}\r\nDTEND:{Utc(monday.AddDays(2).AddMinutes(30))}\r\nSTATUS:CANCELLED\r\nSEQUENCE:1\r\nEND:VEVENT\r\n";
        await PublishAsync("team", Feed(weekly, moved, cancelled));
        var report = FeedReport(await SyncAsync(harness), "team");

        var movedId = Assert.Single(Ids(report, "rescheduled"));
        Assert.Equal(2, Ids(report, "cancelled").Count);
        Assert.Empty(Ids(report, "scheduled"));
        Assert.Equal(1, report["unchanged"]!.GetValue<int>());
        foreach (var id in Ids(report, "cancelled"))
        {
            var final = await harness.WaitForEndAsync(id, TimeSpan.FromSeconds(30));
            Assert.Equal("cancelled", final["phase"]!.GetValue<string>());
            Assert.Equal("calendar", final["cancelled_by"]!.GetValue<string>());
        }
        await PipelineHarness.WaitUntilAsync(() =>
            harness.GetAsync(movedId).Result["schedule"]?["start_at"]?.GetValue<DateTimeOffset>() == monday.AddDays(1).AddHours(2));

        var third = FeedReport(await SyncAsync(harness), "team");
        Assert.Empty(Ids(third, "rescheduled").Concat(Ids(third, "cancelled")).Concat(Ids(third, "scheduled")));

        // Someone cancels the first occurrence over the API; then the calendar is restored as it was.
        var first = scheduled.Except(Ids(report, "cancelled")).Single(id => id != movedId);
        Assert.Equal(HttpStatusCode.Accepted, (await harness.Api.DeleteAsync($"api/recordings/{first}")).StatusCode);
        await harness.WaitForEndAsync(first, TimeSpan.FromSeconds(30));
        await PublishAsync("team", Feed(weekly, Event("one-off", monday.AddHours(2), TimeSpan.FromHours(1), other)));
        var restored = FeedReport(await SyncAsync(harness), "team");

        Assert.Equal(Ids(report, "cancelled").Order(), Ids(restored, "scheduled").Order());
        Assert.Equal([movedId], Ids(restored, "rescheduled"));
        Assert.Equal("cancelled", (await harness.GetAsync(first))["phase"]!.GetValue<string>());
        foreach (var id in Ids(restored, "scheduled"))
            Assert.Equal("scheduled", (await harness.WaitForPhaseAsync(id, "scheduled"))["phase"]!.GetValue<string>());
        Assert.Equal(0, harness.Simulator.Engine.CallsTo(Endpoints.Start));
    }

    [Fact]
    public async Task A_malformed_feed_is_reported_changes_nothing_and_the_other_feeds_are_still_synced()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString, settings: Feeds("broken", "good", "missing"));
        var room = harness.NewRoomId();
        await PublishAsync("broken", "BEGIN:VCALENDAR\r\nthis is not iCalendar at all\r\nBEGIN:VEVENT\r\nDTSTART:not-a-date\r\n");
        await PublishAsync("good", Feed(Event("planning", DateTimeOffset.UtcNow.AddDays(1), TimeSpan.FromHours(1), room)));

        var report = await SyncAsync(harness);

        Assert.NotNull(FeedReport(report, "broken")["error"]);
        Assert.Empty(Ids(FeedReport(report, "broken"), "scheduled"));
        Assert.Contains("missing", FeedReport(report, "missing")["error"]!.GetValue<string>());
        Assert.Single(Ids(FeedReport(report, "good"), "scheduled"));
        Assert.Single(await PipelinesAsync(harness));
    }

    [Fact]
    public async Task An_event_whose_start_request_is_invalid_is_skipped_naming_the_field_and_the_others_are_scheduled()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();
        var start = DateTimeOffset.UtcNow.AddHours(3);
        // Each description is read fine; the request it builds is validated once, with the occurrence's times.
        var invalid = new Dictionary<string, string>
        {
            ["sections"] = "100ms-summary-sections: A (bullets); B (bullets); C (bullets); D (bullets); E (bullets); F (bullets); G (bullets)",
            ["small"] = "100ms-resolution: 100x100",
            ["table"] = "100ms-summary-sections: Decisions (table)",
            ["pdf"] = "100ms-output-modes: txt\\, pdf",
            ["no-transcript"] = "100ms-transcription: off\\n100ms-summary: on",
        };
        var expected = new Dictionary<string, string>
        {
            ["sections"] = "transcription.summary.sections: A summary may have at most 6 sections.",
            ["small"] = "resolution.width: A landscape width must be from 500 to 1920.",
            ["table"] = "transcription.summary.sections[0].format: format must be bullets or paragraph.",
            ["pdf"] = "transcription.output_modes[1]: An output mode must be one of txt, srt, json.",
            ["no-transcript"] = "transcription.summary.enabled: A summary needs transcription",
        };
        var events = invalid.Select((e, i) => Event(e.Key, start.AddHours(i), TimeSpan.FromMinutes(30), room)
            .Replace($"100ms-room-id: {room}", $"100ms-room-id: {room}\\n{e.Value}"));
        var ics = Feed([.. events, Event("fine", start.AddDays(1), TimeSpan.FromHours(1), room)]);

        var pushed = await harness.Api.PostAsync("api/calendar/sync?feed=crm", new StringContent(ics, Encoding.UTF8, "text/calendar"));

        Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);
        var report = FeedReport((await pushed.Content.ReadFromJsonAsync<JsonObject>())!, "crm");
        var skipped = report["skipped"]!.AsArray().ToDictionary(s => s!["event_uid"]!.GetValue<string>(), s => s!["reason"]!.GetValue<string>());
        Assert.Equal(expected.Keys.Order(), skipped.Keys.Order());
        foreach (var (uid, reason) in expected) Assert.Contains(reason, skipped[uid]);
        var id = Assert.Single(Ids(report, "scheduled"));
        Assert.Equal("fine", (await harness.GetAsync(id))["calendar"]!["event_uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_pushed_feed_is_synced_under_its_name_and_a_malformed_push_is_a_400()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();
        var ics = Feed(Event("pushed", DateTimeOffset.UtcNow.AddHours(3), TimeSpan.FromHours(1), room));

        var pushed = await harness.Api.PostAsync("api/calendar/sync?feed=crm", new StringContent(ics, Encoding.UTF8, "text/calendar"));
        Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);
        var report = FeedReport((await pushed.Content.ReadFromJsonAsync<JsonObject>())!, "crm");
        var id = Assert.Single(Ids(report, "scheduled"));
        Assert.Equal("scheduled", (await harness.GetAsync(id))["phase"]!.GetValue<string>());

        var unnamed = await harness.Api.PostAsync("api/calendar/sync", new StringContent(ics, Encoding.UTF8, "text/calendar"));
        Assert.Equal(HttpStatusCode.BadRequest, unnamed.StatusCode);
        Assert.Contains("feed", await unnamed.Content.ReadAsStringAsync());
        var malformed = await harness.Api.PostAsync("api/calendar/sync?feed=crm", new StringContent("hello", Encoding.UTF8, "text/calendar"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Single(await PipelinesAsync(harness));

        // The same feed without the event cancels its pipeline.
        var emptied = await harness.Api.PostAsync("api/calendar/sync?feed=crm", new StringContent(Feed(), Encoding.UTF8, "text/calendar"));
        Assert.Equal([id], Ids(FeedReport((await emptied.Content.ReadFromJsonAsync<JsonObject>())!, "crm"), "cancelled"));
    }

    [Fact]
    public async Task A_meeting_about_to_begin_is_recorded_from_its_start_to_its_end_without_anyone_pressing_a_button()
    {
        var settings = Feeds("team");
        settings["LocalHost:CalendarSyncInterval"] = "01:00:00";
        var room = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        var start = DateTimeOffset.UtcNow.AddSeconds(6);
        await PublishAsync("team", Feed(Event("demo", start, TimeSpan.FromSeconds(6), room)));
        // The local host's sync loop reads the feed at startup, as the timer trigger would on its schedule.
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString, settings: settings);

        string? id = null;
        await PipelineHarness.WaitUntilAsync(() => (id = PipelinesAsync(harness).Result.SingleOrDefault()?.InstanceId) is not null, TimeSpan.FromSeconds(20));
        Assert.True(DateTimeOffset.UtcNow < start, "the pipeline was scheduled before the meeting began");
        await harness.WaitForPhaseAsync(id!, "recording", TimeSpan.FromSeconds(20));
        var during = FeedReport(await SyncAsync(harness), "team");
        Assert.Equal((0, 0, 1), (Ids(during, "scheduled").Count + Ids(during, "cancelled").Count, Ids(during, "rescheduled").Count, during["unchanged"]!.GetValue<int>()));
        var final = await harness.WaitForEndAsync(id!, TimeSpan.FromSeconds(60));

        Assert.Equal("completed", final["phase"]!.GetValue<string>());
        var recording = harness.Simulator.Engine.Recordings.Single(r => r.RoomId == room);
        var wholeStart = new DateTimeOffset(start.Ticks - start.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        Assert.True(recording.CreatedAt >= wholeStart.AddMilliseconds(-50), $"started {recording.CreatedAt:O}, meeting at {wholeStart:O}");
        Assert.True(recording.StoppedAt >= wholeStart.AddSeconds(6).AddMilliseconds(-50), $"stopped {recording.StoppedAt:O}");
        Assert.Equal(1, harness.Simulator.Engine.CallsTo(Endpoints.StopRecording));
        Assert.Contains("transcript.txt", (await harness.DownloadBlobsAsync(room, final["recording_id"]!.GetValue<string>())).Keys);
    }
}
