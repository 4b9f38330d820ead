using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using RecordingFunctions.HmsSimulator;
using RecordingFunctions.Pipeline;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Archive;

/// <summary>
/// Recordings started elsewhere (dashboard, autoStart, client SDK: the simulator's StartElsewhere) archived from their
/// webhooks or by a sweep, on the in-process Durable engine, the simulator over HTTP and Azurite.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ArchiveTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan RecordFor = TimeSpan.FromSeconds(0.6);
    private static readonly string[] AllFiles = ["manifest.json", "summary.json", "summary.md", "transcript.json", "transcript.srt", "transcript.txt"];

    [Fact]
    public async Task A_recording_started_at_the_simulator_is_archived_completely_from_its_webhooks()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();

        var recording = await RecordElsewhereAsync(harness, room);
        var final = await WaitForArchiveEndAsync(harness, room, recording.Id);

        Assert.Equal("completed", final["phase"]!.GetValue<string>());
        Assert.Equal("webhook", final["origin"]!.GetValue<string>());
        Assert.Equal(["processing", "transcribing", "copying", "completed"], final["phases"]!.AsArray().Select(p => p!["phase"]!.GetValue<string>()));
        var blobs = await harness.DownloadBlobsAsync(room, recording.Id);
        Assert.Equal(AllFiles, blobs.Keys.Order());
        foreach (var asset in recording.Assets.Where(a => a.Type is "transcript" or "summary"))
            Assert.Equal(asset.Content, blobs[asset.FileName]);
        var manifest = JsonNode.Parse(blobs["manifest.json"])!;
        Assert.Equal(PipelineInstanceIds.ForArchive(room, recording.Id), manifest["instance_id"]!.GetValue<string>());
        Assert.Equal(0, harness.Simulator.Engine.CallsTo(Endpoints.Start));
        Assert.Equal(0, harness.Simulator.Engine.CallsTo(Endpoints.StopRecording) + harness.Simulator.Engine.CallsTo(Endpoints.StopRoom));

        var listed = await harness.Api.GetFromJsonAsync<JsonObject>($"api/recordings?room_id={room}");
        var item = Assert.Single(listed!["items"]!.AsArray());
        Assert.Equal("webhook", item!["origin"]!.GetValue<string>());
        Assert.Equal(recording.Id, item["recording_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_recording_whose_webhooks_were_all_lost_is_archived_by_a_sweep()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        harness.Simulator.Engine.SetFaults(new FaultSettings { DropWebhooks = ["*"] });
        var room = harness.NewRoomId();

        var recording = await RecordElsewhereAsync(harness, room);
        await WaitUntilTranscribedAsync(recording);
        Assert.Equal(0, await CountInstancesAsync(harness, room));

        var report = await SweepAsync(harness, new { room_id = room });
        Assert.Equal(1, report["seen"]!.GetValue<int>());
        Assert.Equal(1, report["started"]!.GetValue<int>());
        var final = await WaitForArchiveEndAsync(harness, room, recording.Id);
        Assert.Equal("completed", final["phase"]!.GetValue<string>());
        Assert.Equal("sweep", final["origin"]!.GetValue<string>());
        Assert.Equal(AllFiles, (await harness.DownloadBlobsAsync(room, recording.Id)).Keys.Order());
    }

    [Fact]
    public async Task A_sweep_over_more_than_100_recordings_archives_each_exactly_once_and_a_second_sweep_starts_nothing()
    {
        const int count = 105;
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var engine = harness.Simulator.Engine;
        engine.SetFaults(new FaultSettings { DropWebhooks = ["*"] });
        var body = new StartBody { TranscriptionEnabled = true, OutputModes = ["txt"] };
        var recordings = Enumerable.Range(0, count).Select(_ => engine.StartElsewhere(harness.NewRoomId(), body)).ToList();
        await PipelineHarness.WaitUntilAsync(() => recordings.All(r => r.Status == "running"));
        foreach (var recording in recordings) engine.StopRoom(recording.RoomId, "room ended");
        foreach (var recording in recordings) await WaitUntilTranscribedAsync(recording);

        var first = await SweepAsync(harness, new { });
        Assert.Equal(count, first["seen"]!.GetValue<int>());
        Assert.Equal(count, first["started"]!.GetValue<int>());
        Assert.True(first["pages"]!.GetValue<int>() >= 2, $"one page only: {first}");
        Assert.True(engine.CallsTo(Endpoints.ListRecordings) >= 2);

        foreach (var recording in recordings)
        {
            var final = await WaitForArchiveEndAsync(harness, recording.RoomId, recording.Id, TimeSpan.FromMinutes(3));
            Assert.Equal("completed", final["phase"]!.GetValue<string>());
        }
        var second = await SweepAsync(harness, new { });
        Assert.Equal(count, second["seen"]!.GetValue<int>());
        Assert.Equal(0, second["started"]!.GetValue<int>());
        Assert.Equal(count, second["already_archived"]!.GetValue<int>());

        foreach (var recording in recordings)
        {
            Assert.Equal(1, await CountInstancesAsync(harness, recording.RoomId));
            Assert.Equal(1, engine.CompletedDownloadsOf(recording.Assets.Single(a => a.Type == "transcript").Id));
        }
    }

    [Fact]
    public async Task A_recording_started_through_our_API_is_archived_once_not_twice()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(room, new { transcription = new { enabled = true, summary = new { enabled = true } } });
        await harness.RecordThenEndRoomAsync(id, room, RecordFor);
        var final = await harness.WaitForEndAsync(id);
        Assert.Equal("completed", final["phase"]!.GetValue<string>());
        Assert.Equal("api", final["origin"]!.GetValue<string>());
        var recordingId = final["recording_id"]!.GetValue<string>();

        // 100ms replays its deliveries after our pipeline ended; a sweep sees the recording too.
        foreach (var type in new[] { "beam.recording.success", "transcription.started.success", "transcription.success" })
            Assert.Null((await PostEventAsync(harness, type, room, recordingId))["archive"]);
        var report = await SweepAsync(harness, new { room_id = room });
        Assert.Equal(0, report["started"]!.GetValue<int>());
        Assert.Equal(1, report["already_archived"]!.GetValue<int>());

        Assert.Equal(1, await CountInstancesAsync(harness, room));
        Assert.Null(await harness.Durable.GetInstanceAsync(PipelineInstanceIds.ForArchive(room, recordingId)));
        var manifest = JsonNode.Parse((await harness.DownloadBlobsAsync(room, recordingId))["manifest.json"])!;
        Assert.Equal(id, manifest["instance_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Duplicated_parallel_and_replayed_events_start_one_archive_pipeline()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var engine = harness.Simulator.Engine;
        engine.SetFaults(new FaultSettings { DuplicateWebhooks = true });
        var room = harness.NewRoomId();

        var recording = engine.StartElsewhere(room);
        // Parallel deliveries of distinct events, and repeats of one, race the simulator's own (duplicated) webhooks.
        await PipelineHarness.WaitUntilAsync(() => recording.Status == "running");
        await Task.Delay(RecordFor);
        engine.StopRoom(room, "room ended");
        await PipelineHarness.WaitUntilAsync(() => recording.Status == "completed");
        var repeated = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            PostEventAsync(harness, i % 2 == 0 ? "beam.recording.success" : "transcription.started.success", room, recording.Id,
                i < 6 ? repeated : null)));

        var final = await WaitForArchiveEndAsync(harness, room, recording.Id);
        Assert.Equal("completed", final["phase"]!.GetValue<string>());
        var createdAt = (await harness.Durable.GetInstanceAsync(final["id"]!.GetValue<string>()))!.CreatedAt;

        var replays = await Task.WhenAll(new[] { "beam.recording.success", "transcription.success", "transcription.success" }
            .Select(type => PostEventAsync(harness, type, room, recording.Id)));
        Assert.All(replays, r => Assert.Null(r["archive"]));
        Assert.Equal(1, await CountInstancesAsync(harness, room));
        Assert.Equal(createdAt, (await harness.Durable.GetInstanceAsync(final["id"]!.GetValue<string>()))!.CreatedAt);
        Assert.True(answers.Count(a => a["archive"] is not null) <= 1);
        foreach (var asset in recording.Assets.Where(a => a.Type is "transcript" or "summary"))
            Assert.Equal(1, engine.CompletedDownloadsOf(asset.Id));
    }

    [Fact]
    public async Task Started_mode_ignores_foreign_recordings()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString,
            settings: new Dictionary<string, string?> { ["Archive:Recordings"] = "Started" });
        var room = harness.NewRoomId();

        var recording = await RecordElsewhereAsync(harness, room);
        await WaitUntilTranscribedAsync(recording);
        await PipelineHarness.WaitUntilAsync(() => harness.Simulator.Engine.Deliveries.Any(d =>
            d.RecordingId == recording.Id && d.Type == "transcription.success" && d.Status == 200));

        Assert.Equal(0, await CountInstancesAsync(harness, room));
        // Nothing was written: the recordings container was not even created.
        Assert.False((await harness.Recordings.ExistsAsync()).Value);
        var sweep = await harness.Api.PostAsJsonAsync("api/archive/sweep", new { room_id = room });
        Assert.Equal(HttpStatusCode.Conflict, sweep.StatusCode);
        Assert.Contains("Archive:Recordings", await sweep.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_recording_past_retention_ends_expired_with_the_reason_without_retries()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var engine = harness.Simulator.Engine;
        engine.SetFaults(new FaultSettings { DropWebhooks = ["*"] });
        var room = harness.NewRoomId();
        var recording = await RecordElsewhereAsync(harness, room);
        await WaitUntilTranscribedAsync(recording);
        engine.Age(TimeSpan.FromDays(16));

        var report = await SweepAsync(harness, new { since = DateTimeOffset.UtcNow.AddDays(-20).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), room_id = room });
        Assert.Equal(1, report["started"]!.GetValue<int>());
        var final = await WaitForArchiveEndAsync(harness, room, recording.Id);

        Assert.Equal("expired", final["phase"]!.GetValue<string>());
        Assert.Contains("no longer has", final["error"]!.GetValue<string>());
        var blobs = await harness.DownloadBlobsAsync(room, recording.Id);
        Assert.Equal(["manifest.json"], blobs.Keys);
        Assert.Equal("expired", JsonNode.Parse(blobs["manifest.json"])!["phase"]!.GetValue<string>());
        // One URL request per file, none repeated: a gone file is not retried.
        Assert.Equal(recording.Assets.Count(a => a.Type is "transcript" or "summary"), engine.CallsTo(Endpoints.PresignedUrl));
    }

    [Theory]
    [InlineData("{\"since\":\"yesterday\"}", "since")]
    [InlineData("{\"until\":\"2026-12-01 10:00\"}", "until")]
    [InlineData("{\"since\":\"2026-12-02T00:00:00Z\",\"until\":\"2026-12-01T00:00:00Z\"}", "since")]
    [InlineData("{\"since\":\"2025-01-01T00:00:00Z\",\"until\":\"2026-01-01T00:00:00+01:00\"}", "since")]
    [InlineData("{\"room_id\":\"../etc\"}", "room_id")]
    [InlineData("{\"room_id\":42}", "room_id")]
    [InlineData("{\"rooms\":[]}", "rooms")]
    [InlineData("[1,2]", "body")]
    public async Task A_bad_sweep_request_is_a_400_naming_the_field_and_starts_nothing(string body, string field)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var response = await harness.Api.PostAsync("api/archive/sweep", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.NotNull(problem!["errors"]![field]);
        var instances = 0;
        await foreach (var _ in harness.Durable.GetAllInstancesAsync(new OrchestrationQuery())) instances++;
        Assert.Equal(0, instances);
    }

    private static async Task<SimulatedRecording> RecordElsewhereAsync(PipelineHarness harness, string room)
    {
        var recording = harness.Simulator.Engine.StartElsewhere(room);
        await PipelineHarness.WaitUntilAsync(() => recording.Status == "running");
        await Task.Delay(RecordFor);
        harness.Simulator.Engine.StopRoom(room, "room ended");
        return recording;
    }

    private static Task WaitUntilTranscribedAsync(SimulatedRecording recording) =>
        PipelineHarness.WaitUntilAsync(() => recording.Status == "completed"
            && recording.Assets.Where(a => a.Type is "transcript" or "summary").ToList() is { Count: > 0 } files
            && files.All(a => a.Status == "completed"), TimeSpan.FromSeconds(60));

    private static async Task<JsonObject> WaitForArchiveEndAsync(PipelineHarness harness, string room, string recordingId, TimeSpan? timeout = null)
    {
        var instanceId = PipelineInstanceIds.ForArchive(room, recordingId);
        await PipelineHarness.WaitUntilAsync(() => harness.Durable.GetInstanceAsync(instanceId).GetAwaiter().GetResult() is not null,
            TimeSpan.FromSeconds(60));
        return await harness.WaitForEndAsync(instanceId, timeout ?? TimeSpan.FromSeconds(90));
    }

    private static async Task<int> CountInstancesAsync(PipelineHarness harness, string room)
    {
        var count = 0;
        await foreach (var _ in harness.Durable.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = room + "-" })) count++;
        return count;
    }

    /// <summary>Starts a sweep and waits for its final report.</summary>
    private static async Task<JsonObject> SweepAsync(PipelineHarness harness, object body)
    {
        var response = await harness.Api.PostAsJsonAsync("api/archive/sweep", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.NotNull(report["seen"]);
        var statusUri = report["statusQueryGetUri"]!.GetValue<string>();
        Assert.Equal(statusUri, response.Headers.Location!.ToString());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (!report["done"]!.GetValue<bool>())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The sweep did not finish: {report}");
            await Task.Delay(200);
            report = (await harness.Api.GetFromJsonAsync<JsonObject>(statusUri))!;
        }
        Assert.Null(report["error"]);
        return report;
    }

    /// <summary>Posts a 100ms event as 100ms's retries and replays would, and returns the receiver's answer.</summary>
    private static async Task<JsonObject> PostEventAsync(PipelineHarness harness, string type, string room, string recordingId, string? id = null)
    {
        var envelope = new JsonObject
        {
            ["version"] = "2.0",
            ["id"] = id ?? Guid.NewGuid().ToString(),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            ["type"] = type,
            ["data"] = new JsonObject { ["room_id"] = room, ["recording_id"] = recordingId, ["duration"] = 180 },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/webhooks/100ms")
        {
            Content = new StringContent(envelope.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(LocalStack.WebhookHeader, PipelineHarness.WebhookSecret);
        using var response = await harness.Api.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonSerializer.Deserialize<JsonObject>(await response.Content.ReadAsStringAsync())!;
    }
}
