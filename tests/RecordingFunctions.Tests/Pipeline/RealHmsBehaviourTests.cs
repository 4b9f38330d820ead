using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using RecordingFunctions.HmsSimulator;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Pipeline;

/// <summary>
/// What real 100ms does beyond the tidy lifecycle (hms-api.md §11, issue #12), produced by the simulator over HTTP,
/// each on the real Durable engine with Azurite: the pipeline ends as a user would expect, with the right blobs, and
/// our recording is stopped exactly as often as it should be.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RealHmsBehaviourTests(AzuriteFixture azurite)
{
    private static readonly object Transcribed = new
    {
        transcription = new { enabled = true, output_modes = new[] { "txt", "srt", "json" }, summary = new { enabled = true } },
    };

    private static readonly string[] AllFiles = ["manifest.json", "summary.json", "summary.md", "transcript.json", "transcript.srt", "transcript.txt"];

    private static string Phase(JsonObject status) => status["phase"]!.GetValue<string>();

    private static async Task<SimulatedRecording> RunningRecordingAsync(PipelineHarness harness, string id)
    {
        var status = await harness.WaitForPhaseAsync(id, "recording");
        var recording = harness.Simulator.Engine.Find(status["recording_id"]!.GetValue<string>())!;
        await PipelineHarness.WaitUntilAsync(() => recording.Status == "running");
        return recording;
    }

    private static async Task<HttpResponseMessage> StopAsync(PipelineHarness harness, string id) =>
        await harness.Api.PostAsync($"api/recordings/{id}/stop", null);

    private static async Task<HttpResponseMessage> PostWebhookAsync(PipelineHarness harness, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/webhooks/100ms") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add(LocalStack.WebhookHeader, PipelineHarness.WebhookSecret);
        return await harness.Api.SendAsync(request);
    }

    /// <summary>Every event the simulator posts has been answered (the pipeline had the chance to act on it).</summary>
    private static Task DeliveredAsync(PipelineHarness harness, Func<WebhookDelivery, bool> which, int count = 1) =>
        PipelineHarness.WaitUntilAsync(() => harness.Simulator.Engine.Deliveries.Count(d => which(d) && d.Status == 200) >= count);

    private static async Task AssertArchivedAsync(PipelineHarness harness, string room, SimulatedRecording recording, string[] files)
    {
        var blobs = await harness.DownloadBlobsAsync(room, recording.Id);
        Assert.Equal(files, blobs.Keys.Order());
        foreach (var asset in recording.Assets.Where(a => a.Type is "transcript" or "summary"))
            Assert.Equal(asset.Content, blobs[asset.FileName]);
    }

    // 1. beam.* events shared with RTMP streaming

    [Fact]
    public async Task An_RTMP_stream_failing_and_stopping_beside_the_recording_changes_nothing()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var engine = harness.Simulator.Engine;
        var room = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(room, Transcribed);
        var recording = await RunningRecordingAsync(harness, id);

        var failing = engine.StartStream(room);
        var stopping = engine.StartStream(room);
        engine.FailStream(failing.Id);
        engine.StopStream(stopping.Id);
        await DeliveredAsync(harness, d => d.Type is "beam.failure" or "beam.stopped.success", 2);
        await Task.Delay(300);

        Assert.Equal("recording", Phase(await harness.GetAsync(id)));
        Assert.Equal(recording.SessionId, failing.SessionId);
        var stop = await StopAsync(harness, id);
        Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("completed", Phase(final));
        Assert.Equal(1, recording.StopRequests);
        await AssertArchivedAsync(harness, room, recording, AllFiles);
    }

    [Fact]
    public async Task Beam_events_that_name_no_known_job_are_checked_with_100ms_before_the_recording_counts_as_stopped()
    {
        // job_id and beam_id are ids of their own: only events naming recording_id tie them to our recording.
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString, simulator: o => o.JobIdIsRecordingId = false);
        var engine = harness.Simulator.Engine;
        var room = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(room, Transcribed);
        var recording = await RunningRecordingAsync(harness, id);
        var gets = engine.CallsTo(Endpoints.GetRecording);

        // Another job of the session stops, naming only itself: 100ms says ours still runs.
        var stranger = engine.NewId();
        var response = await PostWebhookAsync(harness, $$"""
            {"version":"2.0","id":"{{Guid.NewGuid()}}","type":"beam.stopped.success","timestamp":"{{DateTime.UtcNow:O}}",
             "data":{"room_id":"{{room}}","session_id":"{{recording.SessionId}}","beam_id":"{{stranger}}","job_id":"{{stranger}}","reason":"client request"} }
            """);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await PipelineHarness.WaitUntilAsync(() => engine.CallsTo(Endpoints.GetRecording) > gets);
        await Task.Delay(300);
        Assert.Equal("recording", Phase(await harness.GetAsync(id)));

        harness.Simulator.Engine.StopRoom(room, "room ended");
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("completed", Phase(final));
        Assert.Equal(0, recording.StopRequests);
        await AssertArchivedAsync(harness, room, recording, AllFiles);
    }

    // 2. one session, several recordings in a row; 3. replays

    [Fact]
    public async Task Late_and_replayed_events_of_an_earlier_recording_in_the_session_never_touch_the_next()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString, simulator: o => o.JobIdIsRecordingId = false);
        var engine = harness.Simulator.Engine;
        var room = harness.NewRoomId();
        var first = await harness.StartPipelineAsync(room, Transcribed);
        var earlier = await RunningRecordingAsync(harness, first);
        Assert.Equal(HttpStatusCode.Accepted, (await StopAsync(harness, first)).StatusCode);
        Assert.Equal("completed", Phase(await harness.WaitForEndAsync(first)));

        var second = await harness.StartPipelineAsync(room, Transcribed);
        var next = await RunningRecordingAsync(harness, second);
        Assert.Equal(earlier.SessionId, next.SessionId);

        // Every event of the earlier recording again, as 100ms's replay sends them, and a late beam.failure of its job.
        var replayed = engine.Replay(e => e["data"]?["recording_id"]?.ToString() == earlier.Id || e["data"]?["job_id"]?.ToString() == earlier.JobId);
        Assert.True(replayed >= 5, $"replayed {replayed}");
        var late = await PostWebhookAsync(harness, $$"""
            {"version":"2.0","id":"{{Guid.NewGuid()}}","type":"beam.failure","timestamp":"{{DateTime.UtcNow:O}}",
             "data":{"room_id":"{{room}}","session_id":"{{earlier.SessionId}}","beam_id":"{{earlier.BeamId}}","job_id":"{{earlier.JobId}}",
                     "error_type":"UPLOAD_ERROR","error_message":"late"} }
            """);
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        await DeliveredAsync(harness, d => d.IsReplay, replayed);
        await Task.Delay(500);
        Assert.Equal("recording", Phase(await harness.GetAsync(second)));

        Assert.Equal(HttpStatusCode.Accepted, (await StopAsync(harness, second)).StatusCode);
        var final = await harness.WaitForEndAsync(second);

        Assert.Equal("completed", Phase(final));
        Assert.Equal(next.Id, final["recording_id"]!.GetValue<string>());
        Assert.Equal(1, earlier.StopRequests);
        Assert.Equal(1, next.StopRequests);
        await AssertArchivedAsync(harness, room, next, AllFiles);
    }

    [Fact]
    public async Task Replays_of_a_pipelines_own_events_change_nothing_and_after_its_end_are_answered_200()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var engine = harness.Simulator.Engine;
        var room = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(room, Transcribed);
        var recording = await RunningRecordingAsync(harness, id);

        // While it records: its beam.started.success again.
        Assert.Equal(1, engine.Replay(e => e["type"]?.ToString() == "beam.started.success"));
        await DeliveredAsync(harness, d => d.IsReplay);
        harness.Simulator.Engine.StopRoom(room, "room ended");
        var final = await harness.WaitForEndAsync(id);
        Assert.Equal("completed", Phase(final));
        var downloads = engine.CallsTo(Endpoints.Download);

        var replayed = engine.Replay();
        await DeliveredAsync(harness, d => d.IsReplay, replayed + 1);
        await Task.Delay(300);

        Assert.True(replayed >= 5);
        Assert.All(engine.Deliveries.Where(d => d.IsReplay), d => Assert.Equal(200, d.Status));
        var after = await harness.GetAsync(id);
        Assert.Equal(final["phases"]!.ToJsonString(), after["phases"]!.ToJsonString());
        Assert.Equal(downloads, engine.CallsTo(Endpoints.Download));
        Assert.Equal(0, recording.StopRequests);
        await AssertArchivedAsync(harness, room, recording, AllFiles);
    }

    // 4. transcription configured on the template

    [Fact]
    public async Task Transcription_turned_on_by_the_template_is_archived_though_the_start_body_never_asked()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();
        harness.Simulator.Engine.SetRoomTemplate(room, new RoomTemplate(Transcription: true));

        var id = await harness.StartPipelineAsync(room, new { });
        var recording = await RunningRecordingAsync(harness, id);
        Assert.DoesNotContain("transcript", recording.AssetTypes);
        harness.Simulator.Engine.StopRoom(room, "room ended");
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("completed", Phase(final));
        await AssertArchivedAsync(harness, room, recording, AllFiles);
    }

    [Fact]
    public async Task Transcription_asked_for_that_never_comes_ends_timed_out_at_the_transcription_timeout_not_after_polling()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        harness.Simulator.Engine.SetFaults(new FaultSettings { NoTranscription = true });
        var room = harness.NewRoomId();

        var id = await harness.StartPipelineAsync(room, Transcribed);
        var recording = await RunningRecordingAsync(harness, id);
        harness.Simulator.Engine.StopRoom(room, "room ended");
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("transcription_timed_out", Phase(final));
        Assert.Contains("no transcript", final["error"]!.GetValue<string>());
        // One look at the assets at the timeout, then the copy step's; not the 20 polls of the harness's settings.
        Assert.InRange(harness.Simulator.Engine.CallsTo(Endpoints.GetRecording), 1, 3);
        await AssertArchivedAsync(harness, room, recording, ["manifest.json"]);
    }

    // 5. stop and get refused

    [Theory]
    [InlineData(Endpoints.StopRecording, 400)]
    [InlineData(Endpoints.StopRecording, 403)]
    [InlineData(Endpoints.StopRecording, 409)]
    [InlineData(Endpoints.StopRecording, 503)]
    [InlineData(Endpoints.GetRecording, 403)]
    [InlineData(Endpoints.GetRecording, 503)]
    public async Task A_refused_stop_or_get_ends_failed_with_the_error_and_a_manifest(string endpoint, int status)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString, settings: new Dictionary<string, string?>
        {
            ["Pipeline:MaxRecordingDuration"] = "00:05:00",
            ["Pipeline:RecordingEndMargin"] = "00:02:00",
            ["Pipeline:RetryAttempts"] = "3",
        });
        var engine = harness.Simulator.Engine;
        var room = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(room, Transcribed);
        var recording = await RunningRecordingAsync(harness, id);
        engine.SetFaults(new FaultSettings
        {
            Endpoints = [new EndpointFault { Endpoint = endpoint, Status = status, Count = 1000 }],
            // Without webhooks the pipeline has to ask 100ms how the recording is doing.
            DropWebhooks = endpoint == Endpoints.GetRecording ? ["*"] : [],
        });

        if (endpoint == Endpoints.StopRecording) Assert.Equal(HttpStatusCode.Accepted, (await StopAsync(harness, id)).StatusCode);
        else engine.StopRoom(room, "room ended");
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("failed", Phase(final));
        Assert.Equal(nameof(OrchestrationRuntimeStatus.Completed), final["runtime_status"]!.GetValue<string>());
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), final["error"]!.GetValue<string>());
        var blobs = await harness.DownloadBlobsAsync(room, recording.Id);
        Assert.Contains("manifest.json", blobs.Keys);
        var manifest = JsonNode.Parse(blobs["manifest.json"])!;
        Assert.Equal("failed", manifest["phase"]!.GetValue<string>());
        Assert.Equal(final["error"]!.GetValue<string>(), manifest["error"]!.GetValue<string>());
        // 4xx refusals are not retried; a 503 is, up to the retry attempts; a failing get stops nothing.
        Assert.Equal(endpoint != Endpoints.StopRecording ? 0 : status == 503 ? 3 : 1, engine.CallsTo(Endpoints.StopRecording));
    }

    [Fact]
    public async Task A_stop_while_100ms_is_still_starting_ends_completed_with_nothing_recorded()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString,
            simulator: o => o.StartDelay = TimeSpan.FromHours(1));
        var room = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(room, Transcribed);
        var status = await harness.WaitForPhaseAsync(id, "recording");
        var recording = harness.Simulator.Engine.Find(status["recording_id"]!.GetValue<string>())!;
        Assert.Equal("starting", recording.Status);

        Assert.Equal(HttpStatusCode.Accepted, (await StopAsync(harness, id)).StatusCode);
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("completed", Phase(final));
        Assert.Contains("BEAM_STOPPED", final["warnings"]![0]!.GetValue<string>());
        Assert.Equal("failed", recording.Status);
        Assert.Equal(1, recording.StopRequests);
        var blobs = await harness.DownloadBlobsAsync(room, recording.Id);
        Assert.Equal(["manifest.json"], blobs.Keys);
    }

    // 6. summary files vary

    [Theory]
    [InlineData("""{"sections":[{"title":"Agenda","format":"bullets","bullets":null},{"title":"Notes","format":"paragraph"}]}""", "## Notes")]
    [InlineData("""{"summary":{"sections":[{"title":"Agenda","format":"bullets","bullets":["Ship it"],"paragraph":null,"confidence":0.9}]},"model":"x"}""", "- Ship it")]
    [InlineData("""{"sections":[{"title":"Agenda","format":"table","bullets":"one point","paragraph":"In prose.","extra":{"a":1}}]}""", "- one point")]
    public async Task Summary_files_of_either_shape_with_missing_or_odd_fields_are_rendered(string summary, string expected)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        harness.Simulator.Engine.SetFaults(new FaultSettings { SummaryFile = summary });
        var room = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(room, Transcribed);
        var recording = await RunningRecordingAsync(harness, id);
        harness.Simulator.Engine.StopRoom(room, "room ended");
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("completed", Phase(final));
        var blobs = await harness.DownloadBlobsAsync(room, recording.Id);
        Assert.Equal(AllFiles, blobs.Keys.Order());
        var markdown = Encoding.UTF8.GetString(blobs["summary.md"]);
        Assert.Contains("## Agenda", markdown);
        Assert.Contains(expected, markdown);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("""{"summary":"a plain string"}""")]
    public async Task A_summary_that_cannot_be_rendered_is_archived_as_it_came_with_a_warning(string summary)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        harness.Simulator.Engine.SetFaults(new FaultSettings { SummaryFile = summary });
        var room = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(room, Transcribed);
        var recording = await RunningRecordingAsync(harness, id);
        harness.Simulator.Engine.StopRoom(room, "room ended");
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("completed", Phase(final));
        var blobs = await harness.DownloadBlobsAsync(room, recording.Id);
        Assert.Equal(["manifest.json", "summary.json", "transcript.json", "transcript.srt", "transcript.txt"], blobs.Keys.Order());
        Assert.Equal(summary, Encoding.UTF8.GetString(blobs["summary.json"]));
        var warning = JsonNode.Parse(blobs["manifest.json"])!["warnings"]![0]!.GetValue<string>();
        Assert.Contains("summary.md", warning);
        Assert.Equal(warning, final["warnings"]![0]!.GetValue<string>());
    }

    // 7. numbers as 56.0 or "56", timestamps to the nanosecond

    [Theory]
    [InlineData(NumberStyle.Decimals)]
    [InlineData(NumberStyle.Strings)]
    public async Task Numbers_written_as_decimals_or_strings_in_webhooks_and_the_API_are_read(NumberStyle style)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString, simulator: o => o.NumberStyle = style);
        var room = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(room, Transcribed);
        var recording = await RunningRecordingAsync(harness, id);
        await Task.Delay(1000);
        harness.Simulator.Engine.StopRoom(room, "room ended");
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("completed", Phase(final));
        Assert.Equal(recording.Duration, final["recording_duration"]!.GetValue<int>());
        Assert.All(harness.Simulator.Engine.Deliveries, d => Assert.Equal(200, d.Status));
        await AssertArchivedAsync(harness, room, recording, AllFiles);
    }

    [Theory]
    [InlineData("56.0", "2026-12-02T10:00:29.462240675Z")]
    [InlineData("\"56\"", "2026-12-02T10:00:29.4622Z")]
    [InlineData("56.4", "1764669629.5")]
    public async Task A_webhook_with_a_decimal_or_string_duration_and_a_nanosecond_timestamp_is_accepted(string duration, string timestamp)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var room = harness.NewRoomId();
        var time = timestamp.Contains('T') ? $"\"{timestamp}\"" : timestamp;

        var response = await PostWebhookAsync(harness, $$"""
            {"version":"2.0","id":"{{Guid.NewGuid()}}","type":"beam.recording.success","timestamp":{{time}},
             "data":{"room_id":"{{room}}","recording_id":"{{harness.NewRoomId()}}","duration":{{duration}},"size":"1024","started_at":"{{timestamp}}"} }
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // 8. long post-processing

    [Fact]
    public async Task Post_processing_longer_than_three_margins_is_waited_for_with_backoff()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString,
            simulator: o => o.PostProcessingDelay = TimeSpan.FromMinutes(40));
        var room = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(room, Transcribed);
        var recording = await RunningRecordingAsync(harness, id);
        harness.Simulator.Engine.StopRoom(room, "room ended");
        var final = await harness.WaitForEndAsync(id, TimeSpan.FromMinutes(2));

        Assert.Equal("completed", Phase(final));
        // Asked at 5, 15 and 35 minutes (the margin, doubling), before the upload finished at 40.
        Assert.InRange(harness.Simulator.Engine.CallsTo(Endpoints.GetRecording), 3, 5);
        await AssertArchivedAsync(harness, room, recording, AllFiles);
    }

    [Fact]
    public async Task Post_processing_past_its_budget_ends_failed_naming_the_status()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString,
            simulator: o => o.PostProcessingDelay = TimeSpan.FromHours(5),
            settings: new Dictionary<string, string?> { ["Pipeline:PostProcessingBudget"] = "00:20:00" });
        var room = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(room, Transcribed);
        var recording = await RunningRecordingAsync(harness, id);
        harness.Simulator.Engine.StopRoom(room, "room ended");
        var final = await harness.WaitForEndAsync(id, TimeSpan.FromMinutes(2));

        Assert.Equal("failed", Phase(final));
        Assert.Contains("post_processing", final["error"]!.GetValue<string>());
        Assert.Equal(0, recording.StopRequests);
        await AssertArchivedAsync(harness, room, recording, ["manifest.json"]);
    }

    // 9. app secrets of any length

    [Theory]
    [InlineData("s3cret")]
    [InlineData("a-31-byte-secret-0123456789abcd")]
    public async Task App_secrets_shorter_than_32_bytes_sign_tokens_the_simulator_accepts(string secret)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString, simulator: o => o.AppSecret = secret);
        var room = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(room, new { transcription = new { enabled = true, output_modes = new[] { "txt" } } });
        var recording = await RunningRecordingAsync(harness, id);
        harness.Simulator.Engine.StopRoom(room, "room ended");
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("completed", Phase(final));
        await AssertArchivedAsync(harness, room, recording, ["manifest.json", "transcript.txt"]);

        using var http = new HttpClient { BaseAddress = harness.Simulator.ApiUrl };
        var forged = HmsSimulatorApp.MintToken(new SimulatorOptions { AppSecret = secret + "x", AccessKey = harness.Simulator.Options.AccessKey }, TimeSpan.FromMinutes(5));
        http.DefaultRequestHeaders.Authorization = new("Bearer", forged);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"recordings/{recording.Id}")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new("Bearer", HmsSimulatorApp.MintToken(harness.Simulator.Options, TimeSpan.FromMinutes(5)));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"recordings/{recording.Id}")).StatusCode);
    }
}
