using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RecordingFunctions.HmsSimulator;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Scheduling;

/// <summary>
/// Scheduled start, auto stop, early stop and cancel on the real in-process Durable engine: its timers really fire,
/// with times a few seconds ahead, against the simulator over HTTP.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ScheduledRecordingTests(AzuriteFixture azurite)
{
    private static readonly object Transcribed = new { transcription = new { enabled = true, output_modes = new[] { "txt" } } };

    private static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ");

    [Fact]
    public async Task Scheduled_recording_starts_at_start_at_and_stops_itself_at_stop_at()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();
        var startAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var stopAt = startAt.AddSeconds(3);

        var id = await harness.StartPipelineAsync(room, new
        {
            start_at = Rfc3339(startAt),
            stop_at = Rfc3339(stopAt),
            transcription = new { enabled = true, output_modes = new[] { "txt" } },
        });
        var scheduled = await harness.GetAsync(id);
        Assert.Equal("scheduled", scheduled["phase"]!.GetValue<string>());
        await Task.Delay(1000);
        Assert.Equal(0, harness.Simulator.Engine.CallsTo(Endpoints.Start));

        await harness.WaitForPhaseAsync(id, "recording", TimeSpan.FromSeconds(20));
        var recording = harness.Simulator.Engine.Recordings.Single(r => r.RoomId == room);
        Assert.True(recording.CreatedAt >= startAt.AddMilliseconds(-50), $"started at {recording.CreatedAt:O}, scheduled for {startAt:O}");

        var final = await harness.WaitForEndAsync(id, TimeSpan.FromSeconds(60));
        Assert.Equal("completed", final["phase"]!.GetValue<string>());
        Assert.Equal(1, harness.Simulator.Engine.CallsTo(Endpoints.StopRecording));
        Assert.True(recording.StoppedAt >= stopAt.AddMilliseconds(-50), $"stopped at {recording.StoppedAt:O}, scheduled for {stopAt:O}");
        Assert.Equal(["scheduled", "starting", "recording", "stopping", "processing", "transcribing", "copying", "completed"], Phases(final));
        var blobs = await harness.DownloadBlobsAsync(room, final["recording_id"]!.GetValue<string>());
        Assert.Contains("transcript.txt", blobs.Keys);
    }

    [Fact]
    public async Task Duration_without_start_at_records_at_once_and_stops_after_the_duration()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();

        var id = await harness.StartPipelineAsync(room, new { duration = "PT2S", transcription = new { enabled = true, output_modes = new[] { "txt" } } });
        var final = await harness.WaitForEndAsync(id, TimeSpan.FromSeconds(60));

        Assert.Equal("completed", final["phase"]!.GetValue<string>());
        var recording = harness.Simulator.Engine.Recordings.Single(r => r.RoomId == room);
        var recorded = recording.StoppedAt!.Value - recording.CreatedAt;
        Assert.InRange(recorded.TotalSeconds, 1.9, 10);
        Assert.Equal(["starting", "recording", "stopping", "processing", "transcribing", "copying", "completed"], Phases(final));
    }

    [Fact]
    public async Task Stop_endpoint_stops_a_running_recording_early_and_the_pipeline_goes_on_to_archive_it()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(room, new { duration = 600, transcription = new { enabled = true, output_modes = new[] { "txt" } } });
        await harness.WaitForPhaseAsync(id, "recording");
        await PipelineHarness.WaitUntilAsync(() => harness.Simulator.Engine.Recordings.Any(r => r.RoomId == room && r.Status == "running"));

        var stop = await harness.Api.PostAsync($"api/recordings/{id}/stop", null);
        Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        var again = await harness.Api.PostAsync($"api/recordings/{id}/stop", null);
        Assert.True(again.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Conflict, $"a repeated stop answered {again.StatusCode}");

        var final = await harness.WaitForEndAsync(id, TimeSpan.FromSeconds(60));
        Assert.Equal("completed", final["phase"]!.GetValue<string>());
        Assert.Equal(1, harness.Simulator.Engine.CallsTo(Endpoints.StopRecording));
        Assert.Contains("transcript.txt", (await harness.DownloadBlobsAsync(room, final["recording_id"]!.GetValue<string>())).Keys);

        var late = await harness.Api.PostAsync($"api/recordings/{id}/stop", null);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Fact]
    public async Task Delete_cancels_a_scheduled_pipeline_before_it_starts_and_nothing_reaches_100ms()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(room, new { start_at = Rfc3339(DateTimeOffset.UtcNow.AddSeconds(4)), duration = 60 });
        await harness.WaitForPhaseAsync(id, "scheduled");

        var stopBeforeStart = await harness.Api.PostAsync($"api/recordings/{id}/stop", null);
        Assert.Equal(HttpStatusCode.Conflict, stopBeforeStart.StatusCode);
        var cancel = await harness.Api.DeleteAsync($"api/recordings/{id}");
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);

        var final = await harness.WaitForEndAsync(id, TimeSpan.FromSeconds(30));
        Assert.Equal("cancelled", final["phase"]!.GetValue<string>());
        await Task.Delay(TimeSpan.FromSeconds(5)); // past the start time: the cancelled timer must not start anything
        Assert.Equal(0, harness.Simulator.Engine.CallsTo(Endpoints.Start));
        Assert.Equal(["scheduled", "cancelled"], Phases(await harness.GetAsync(id)));
        Assert.Equal(HttpStatusCode.Accepted, (await harness.Api.DeleteAsync($"api/recordings/{id}")).StatusCode);
    }

    [Fact]
    public async Task Delete_of_a_started_recording_is_a_conflict_that_points_to_stop()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(room, Transcribed);
        await harness.WaitForPhaseAsync(id, "recording");

        var cancel = await harness.Api.DeleteAsync($"api/recordings/{id}");
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        var problem = await cancel.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains($"/api/recordings/{id}/stop", problem!["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await harness.Api.DeleteAsync($"api/recordings/{room}-{new string('0', 32)}")).StatusCode);

        await PipelineHarness.WaitUntilAsync(() => harness.Simulator.Engine.Recordings.Any(r => r.RoomId == room && r.Status == "running"));
        harness.Simulator.Engine.StopRoom(room, "room ended");
        Assert.Equal("completed", (await harness.WaitForEndAsync(id))["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_scheduled_recording_does_not_hold_the_room_for_a_recording_now()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();
        var later = await harness.StartPipelineAsync(room, new { start_at = Rfc3339(DateTimeOffset.UtcNow.AddHours(1)), duration = 600 });
        await harness.WaitForPhaseAsync(later, "scheduled");

        var now = await harness.StartPipelineAsync(room, Transcribed);
        await harness.WaitForPhaseAsync(now, "recording");
        Assert.Equal(HttpStatusCode.Conflict, (await harness.StartAsync(room, Transcribed)).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await harness.Api.DeleteAsync($"api/recordings/{later}")).StatusCode);
        await PipelineHarness.WaitUntilAsync(() => harness.Simulator.Engine.Recordings.Any(r => r.RoomId == room && r.Status == "running"));
        harness.Simulator.Engine.StopRoom(room, "room ended");
        Assert.Equal("completed", (await harness.WaitForEndAsync(now))["phase"]!.GetValue<string>());
        Assert.Equal("cancelled", (await harness.WaitForEndAsync(later))["phase"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"start_at\":\"2020-01-01T10:00:00Z\"}", "start_at", "future")]
    [InlineData("{\"start_at\":\"tomorrow at ten\"}", "start_at", "RFC 3339")]
    [InlineData("{\"duration\":\"PT5H\"}", "duration", "30 min")]
    [InlineData("{\"duration\":86400}", "duration", "30 min")]
    [InlineData("{\"duration\":60,\"stop_at\":\"2099-01-01T10:00:00Z\"}", "stop_at", "either")]
    public async Task Bad_times_are_400s_naming_the_field_and_start_nothing(string body, string field, string hint)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();
        var response = await harness.Api.PostAsync($"api/rooms/{room}/recordings", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        var messages = problem!["errors"]![field]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.Contains(messages, m => m.Contains(hint));
        Assert.Empty(await harness.Durable.GetAllInstancesAsync().CollectAsync());
    }

    private static List<string> Phases(JsonObject status) =>
        status["phases"]!.AsArray().Select(p => p!["phase"]!.GetValue<string>()).ToList();
}
