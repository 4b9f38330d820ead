using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using RecordingFunctions.HmsSimulator;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Pipeline;

/// <summary>
/// End to end on real parts: HTTP function code, the orchestrator and activities on the in-process Durable engine,
/// the 100ms simulator over HTTP (its webhooks into the webhook function), and Azurite.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PipelineIntegrationTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan RecordFor = TimeSpan.FromSeconds(1.2);

    private static object FullBody(params (string Title, string Format)[] sections) => new
    {
        meeting_url = "https://acme.app.100ms.live/preview/room/beam?skip_preview=true",
        resolution = new { width = 1280, height = 720 },
        transcription = new
        {
            enabled = true,
            output_modes = new[] { "txt", "srt", "json" },
            custom_vocabulary = new[] { "100ms", "Azurite" },
            summary = new
            {
                enabled = true,
                context = "weekly engineering sync",
                temperature = 0.5,
                sections = sections.Select(s => new { title = s.Title, format = s.Format }).ToArray(),
            },
        },
    };

    [Fact]
    public async Task Happy_path_archives_every_transcript_the_summary_and_a_manifest_byte_for_byte()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();

        var id = await harness.StartPipelineAsync(room, FullBody(("Agenda", "bullets"), ("Decisions", "bullets"), ("Short Summary", "paragraph")));
        await harness.RecordThenEndRoomAsync(id, room, RecordFor);
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("completed", final["phase"]!.GetValue<string>());
        var recordingId = final["recording_id"]!.GetValue<string>();
        var recording = harness.Simulator.Engine.Find(recordingId)!;
        var blobs = await harness.DownloadBlobsAsync(room, recordingId);
        Assert.Equal(["manifest.json", "summary.json", "summary.md", "transcript.json", "transcript.srt", "transcript.txt"], blobs.Keys.Order());
        foreach (var asset in recording.Assets.Where(a => a.Type is "transcript" or "summary"))
            Assert.Equal(asset.Content, blobs[asset.FileName]);

        var markdown = Encoding.UTF8.GetString(blobs["summary.md"]);
        Assert.Contains("## Agenda", markdown);
        Assert.Contains("## Decisions", markdown);
        Assert.Contains("## Short Summary", markdown);

        var manifest = JsonNode.Parse(blobs["manifest.json"])!;
        Assert.Equal("completed", manifest["phase"]!.GetValue<string>());
        var files = manifest["files"]!.AsArray();
        Assert.Equal(5, files.Count);
        foreach (var file in files)
        {
            var name = file!["name"]!.GetValue<string>().Split('/')[^1];
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(blobs[name])), file["sha256"]!.GetValue<string>());
            Assert.Equal(blobs[name].LongLength, file["size"]!.GetValue<long>());
        }

        var txt = harness.Recordings.GetBlobClient($"{room}/{recordingId}/transcript.txt");
        var properties = (await txt.GetPropertiesAsync()).Value;
        Assert.StartsWith("text/plain", properties.ContentType);
        Assert.Equal(room, properties.Metadata["room_id"]);
        Assert.Equal(recordingId, properties.Metadata["recording_id"]);
        Assert.Equal(recording.SessionId, properties.Metadata["session_id"]);
        Assert.Equal(recording.Assets.Single(a => a.OutputMode == "txt" && a.Type == "transcript").Id, properties.Metadata["asset_id"]);

        Assert.Equal(6, final["blobs"]!.AsArray().Count);
        var phases = final["phases"]!.AsArray().Select(p => p!["phase"]!.GetValue<string>()).ToList();
        Assert.Equal(["starting", "recording", "processing", "transcribing", "copying", "completed"], phases);
        Assert.Equal(1, harness.Simulator.Engine.CallsTo(Endpoints.Start));
    }

    [Fact]
    public async Task Audio_only_recording_is_archived_too()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();

        var id = await harness.StartPipelineAsync(room, new { audio_only = true, transcription = new { enabled = true, output_modes = new[] { "txt" } } });
        await harness.RecordThenEndRoomAsync(id, room, RecordFor);
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("completed", final["phase"]!.GetValue<string>());
        var blobs = await harness.DownloadBlobsAsync(room, final["recording_id"]!.GetValue<string>());
        Assert.Equal(["manifest.json", "transcript.txt"], blobs.Keys.Order());
        Assert.True(harness.Simulator.Engine.Recordings.Single().AudioOnly);
    }

    [Fact]
    public async Task Transcription_failure_copies_what_was_produced_and_ends_failed()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        harness.Simulator.Engine.SetFaults(new FaultSettings { FailTranscriptionOutputs = ["summary"] });
        var room = harness.NewRoomId();

        var id = await harness.StartPipelineAsync(room, FullBody(("Agenda", "bullets")));
        await harness.RecordThenEndRoomAsync(id, room, RecordFor);
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("failed", final["phase"]!.GetValue<string>());
        Assert.Contains("transcription.failure", final["error"]!.GetValue<string>());
        var blobs = await harness.DownloadBlobsAsync(room, final["recording_id"]!.GetValue<string>());
        Assert.Equal(["manifest.json", "transcript.json", "transcript.srt", "transcript.txt"], blobs.Keys.Order());
    }

    [Fact]
    public async Task Lost_webhooks_are_made_up_for_by_asking_100ms()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString,
            settings: new Dictionary<string, string?> { ["Pipeline:MaxRecordingDuration"] = "00:10:00" });
        harness.Simulator.Engine.SetFaults(new FaultSettings { DropWebhooks = ["*"] });
        var room = harness.NewRoomId();

        var id = await harness.StartPipelineAsync(room, FullBody(("Agenda", "bullets")));
        await harness.RecordThenEndRoomAsync(id, room, RecordFor);
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("completed", final["phase"]!.GetValue<string>());
        Assert.Empty(harness.Simulator.Engine.Deliveries);
        var blobs = await harness.DownloadBlobsAsync(room, final["recording_id"]!.GetValue<string>());
        Assert.Equal(6, blobs.Count);
    }

    [Fact]
    public async Task Duplicate_and_reordered_webhooks_copy_each_file_exactly_once()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        harness.Simulator.Engine.SetFaults(new FaultSettings { DuplicateWebhooks = true, ReorderWebhooks = true });
        var room = harness.NewRoomId();

        var id = await harness.StartPipelineAsync(room, FullBody(("Agenda", "bullets")));
        await harness.RecordThenEndRoomAsync(id, room, RecordFor);
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("completed", final["phase"]!.GetValue<string>());
        var deliveries = harness.Simulator.Engine.Deliveries;
        Assert.True(deliveries.GroupBy(d => d.EventId).All(g => g.Count() == 2), "every webhook was delivered twice");
        var order = deliveries.Select(d => d.Type).Distinct().ToList();
        Assert.True(order.IndexOf("transcription.success") < order.IndexOf("beam.recording.success"), "transcription came first");
        Assert.Equal(4, harness.Simulator.Engine.CallsTo(Endpoints.Download));
        Assert.Equal(6, (await harness.DownloadBlobsAsync(room, final["recording_id"]!.GetValue<string>())).Count);
    }

    [Fact]
    public async Task Transient_503s_on_start_are_retried_until_100ms_accepts()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        harness.Simulator.Engine.SetFaults(new FaultSettings { Endpoints = [new EndpointFault { Endpoint = Endpoints.Start, Status = 503, Count = 2 }] });
        var room = harness.NewRoomId();

        var id = await harness.StartPipelineAsync(room, FullBody(("Agenda", "bullets")));
        await harness.RecordThenEndRoomAsync(id, room, RecordFor);
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("completed", final["phase"]!.GetValue<string>());
        Assert.Equal(3, harness.Simulator.Engine.CallsTo(Endpoints.Start));
        Assert.Single(harness.Simulator.Engine.Recordings);
    }

    [Fact]
    public async Task A_room_100ms_already_records_ends_failed_with_100ms_message()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();
        harness.Simulator.Engine.Start(room, new StartBody());
        await Task.Delay(200);

        var id = await harness.StartPipelineAsync(room, new { });
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("failed", final["phase"]!.GetValue<string>());
        Assert.Contains("beam already started", final["error"]!.GetValue<string>());
        Assert.Single(harness.Simulator.Engine.Recordings);
    }

    [Fact]
    public async Task An_idempotency_key_returns_the_same_pipeline_and_starts_100ms_once()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();

        var first = await harness.StartAsync(room, new { }, idempotencyKey: "calendar-event-42");
        var second = await harness.StartAsync(room, new { }, idempotencyKey: "calendar-event-42");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var firstId = (await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var secondId = (await second.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        Assert.Equal(firstId, secondId);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.EndsWith($"/api/recordings/{firstId}", first.Headers.Location!.ToString());
        await harness.WaitForPhaseAsync(firstId, "recording");
        Assert.Equal(1, harness.Simulator.Engine.CallsTo(Endpoints.Start));
    }

    [Fact]
    public async Task A_second_start_for_a_room_that_is_recording_is_a_409_naming_the_pipeline()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(room, new { });
        await harness.WaitForPhaseAsync(id, "recording");

        var again = await harness.StartAsync(room, new { });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        var problem = await again.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(id, problem!["instance_id"]!.GetValue<string>());
        Assert.Equal(1, harness.Simulator.Engine.CallsTo(Endpoints.Start));
    }

    [Fact]
    public async Task Unauthenticated_webhooks_get_401_and_reach_no_pipeline()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(room, new { transcription = new { enabled = true } });
        var running = await harness.WaitForPhaseAsync(id, "recording");
        var forged = new
        {
            version = "2.0", id = Guid.NewGuid().ToString(), type = "beam.failure", timestamp = "2026-11-25T10:00:00Z",
            data = new { room_id = room, session_id = running["session_id"]!.GetValue<string>(), error_type = "INTERNAL_ERROR" },
        };

        foreach (var secret in new[] { null, "wrong-secret", PipelineHarness.WebhookSecret + "x" })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "api/webhooks/100ms") { Content = JsonContent.Create(forged) };
            if (secret is not null) request.Headers.Add(LocalStack.WebhookHeader, secret);
            var response = await harness.Api.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        await Task.Delay(500);
        Assert.Equal("recording", (await harness.GetAsync(id))["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_download_host_that_is_not_allowed_fails_the_copy_at_once_without_retries()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString,
            settings: new Dictionary<string, string?> { ["Downloads:AllowedHosts:0"] = "*.100ms.live", ["Pipeline:RetryFirstInterval"] = "00:00:02", ["Pipeline:RetryMaxInterval"] = "00:00:05" });
        var room = harness.NewRoomId();

        var id = await harness.StartPipelineAsync(room, FullBody(("Agenda", "bullets")));
        await harness.RecordThenEndRoomAsync(id, room, RecordFor);
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("failed", final["phase"]!.GetValue<string>());
        Assert.Contains("Downloads:AllowedHosts", final["error"]!.GetValue<string>());
        Assert.Equal(4, harness.Simulator.Engine.CallsTo(Endpoints.PresignedUrl));
        Assert.Equal(0, harness.Simulator.Engine.CallsTo(Endpoints.Download));
        var blobs = await harness.DownloadBlobsAsync(room, final["recording_id"]!.GetValue<string>());
        Assert.Equal(["manifest.json"], blobs.Keys);
    }

    [Fact]
    public async Task Invalid_pipeline_settings_stop_the_app_at_start_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            PipelineHarness.StartAsync(azurite.ConnectionString, settings: new Dictionary<string, string?>
            {
                ["Pipeline:RetryFirstInterval"] = "00:01:00",
                ["Pipeline:RetryMaxInterval"] = "00:00:10",
            }));

        Assert.Contains("Pipeline:RetryMaxInterval", error.Message);
    }

    [Fact]
    public async Task Pipelines_are_listed_by_room_and_phase_page_by_page()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();
        var other = harness.NewRoomId();
        var first = await harness.StartPipelineAsync(room, new { });
        await harness.WaitForPhaseAsync(first, "recording");
        harness.Simulator.Engine.StopRoom(room);
        await harness.WaitForEndAsync(first);
        var second = await harness.StartPipelineAsync(room, new { });
        var elsewhere = await harness.StartPipelineAsync(other, new { });
        await harness.WaitForPhaseAsync(second, "recording");
        await harness.WaitForPhaseAsync(elsewhere, "recording");

        var inRoom = await harness.Api.GetFromJsonAsync<JsonObject>($"api/recordings?room_id={room}");
        var recording = await harness.Api.GetFromJsonAsync<JsonObject>($"api/recordings?room_id={room}&phase=recording");
        var firstPage = await harness.Api.GetFromJsonAsync<JsonObject>("api/recordings?page_size=2");
        var secondPage = await harness.Api.GetFromJsonAsync<JsonObject>(
            $"api/recordings?page_size=2&continuation_token={Uri.EscapeDataString(firstPage!["continuation_token"]!.GetValue<string>())}");
        var badPhase = await harness.Api.GetAsync("api/recordings?phase=sleeping");

        Assert.Equal(new[] { first, second }.Order(), inRoom!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Order());
        Assert.Equal([second], recording!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        var paged = firstPage["items"]!.AsArray().Concat(secondPage!["items"]!.AsArray()).Select(i => i!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(new[] { first, second, elsewhere }.Order(), paged.Order());
        Assert.Equal(HttpStatusCode.BadRequest, badPhase.StatusCode);
    }

    [Fact]
    public async Task Webhooks_the_pipeline_does_not_use_are_acknowledged_and_malformed_ones_are_400()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);

        async Task<HttpResponseMessage> Post(string body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "api/webhooks/100ms") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add(LocalStack.WebhookHeader, PipelineHarness.WebhookSecret);
            return await harness.Api.SendAsync(request);
        }

        var peerJoined = await Post("""{"version":"2.0","id":"7c9e6679-7425-40de-944b-e07fc1f90ae7","type":"peer.join.success","data":{"room_id":"64a1b2c3d4e5f60718293a4b"}}""");
        var malformed = await Post("""{"id":"x","type":""");
        var noRoom = await Post("""{"version":"2.0","id":"7c9e6679-7425-40de-944b-e07fc1f90ae8","type":"beam.failure","data":{"room_id":"../x"}}""");
        var tooLarge = await Post("{\"id\":\"" + new string('x', 300 * 1024) + "\"}");

        Assert.Equal(HttpStatusCode.OK, peerJoined.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noRoom.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
    }

    [Theory]
    [InlineData("64a1b2c3d4e5f60718293a4b", """{"transcription":{"summary":{"sections":[{"title":"a","format":"bullets"},{"title":"b","format":"bullets"},{"title":"c","format":"bullets"},{"title":"d","format":"bullets"},{"title":"e","format":"bullets"},{"title":"f","format":"bullets"},{"title":"g","format":"bullets"}]}}}""", "transcription.summary.sections")]
    [InlineData("64a1b2c3d4e5f60718293a4b", """{"transcription":{"summary":{"temperature":1.5}}}""", "transcription.summary.temperature")]
    [InlineData("64a1b2c3d4e5f60718293a4b", """{"meeting_url":"not a url"}""", "meeting_url")]
    [InlineData("64a1b2c3d4e5f60718293a4b", """{"resolution":{"width":4000,"height":720}}""", "resolution.width")]
    [InlineData("64a1b2c3d4e5f60718293a4b", """{"audio_only":"yes"}""", "audio_only")]
    [InlineData("64a1b2c3d4e5f60718293a4b", """{"transcription":""", "body")]
    [InlineData("not-a-room", "{}", "room_id")]
    public async Task Invalid_requests_are_400_problem_details_naming_the_field_and_start_nothing(string room, string body, string field)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);

        var response = await harness.Api.PostAsync($"api/rooms/{room}/recordings", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(problem!["errors"]!.AsObject().ContainsKey(field), $"errors name {field}: {problem.ToJsonString()}");
        await foreach (var instance in harness.Durable.GetAllInstancesAsync(new OrchestrationQuery()))
            Assert.Fail($"No pipeline may start, but {instance.InstanceId} did.");
        Assert.Equal(0, harness.Simulator.Engine.CallsTo(Endpoints.Start));
    }
}
