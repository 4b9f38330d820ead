using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using RecordingFunctions.Functions;
using RecordingFunctions.HmsSimulator;
using RecordingFunctions.Tests.Hosts;
using RecordingFunctions.Tests.Support;
using Xunit.Abstractions;

namespace RecordingFunctions.Tests.Scenarios;

/// <summary>
/// What users do with the app, over HTTP only, on every host: the same facts run under the real Functions host
/// (<see cref="FunctionsHostScenarios"/>) and under the local host (<see cref="LocalHostScenarios"/>), so the two
/// cannot drift apart. A new scenario is a [HostFact] here; a new host is a fixture and a two-line subclass.
/// Facts of one class run one after the other on the one host process of its fixture.
/// </summary>
public abstract class HostScenarios<THost>(THost host, ITestOutputHelper output) where THost : AppHostFixture
{
    private static readonly object EveryOutput = new
    {
        transcription = new
        {
            enabled = true,
            output_modes = new[] { "txt", "srt", "json" },
            summary = new { enabled = true, sections = new[] { new { title = "Agenda", format = "bullets" }, new { title = "Short Summary", format = "paragraph" } } },
        },
    };

    private static readonly string[] AllFiles = ["manifest.json", "summary.json", "summary.md", "transcript.json", "transcript.srt", "transcript.txt"];

    [HostFact]
    public async Task A_recording_with_every_output_mode_and_the_summary_is_archived_with_the_right_bytes()
    {
        var clock = Stopwatch.StartNew();
        var room = host.NewRoomId();
        using var started = await host.StartAsync(room, EveryOutput);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var accepted = (await started.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = accepted["id"]!.GetValue<string>();
        var statusUri = new Uri(host.BaseUrl, $"api/recordings/{id}");
        Assert.Equal(statusUri, started.Headers.Location);
        Assert.Equal(statusUri.ToString(), accepted["statusQueryGetUri"]!.GetValue<string>());
        Assert.Equal(room, accepted["room_id"]!.GetValue<string>());

        await host.RecordThenEndRoomAsync(id, room, TimeSpan.FromSeconds(1));
        var final = await host.WaitForEndAsync(id);
        var duration = clock.Elapsed;

        Assert.True(final["phase"]!.GetValue<string>() == "completed", final.ToJsonString());
        Assert.Equal("Completed", final["runtime_status"]!.GetValue<string>());
        Assert.Equal(room, final["room_id"]!.GetValue<string>());
        Assert.Equal(["starting", "recording", "processing", "transcribing", "copying", "completed"],
            final["phases"]!.AsArray().Select(p => p!["phase"]!.GetValue<string>()).Distinct());
        var recording = host.Simulator.Engine.Find(final["recording_id"]!.GetValue<string>())!;
        var blobs = await host.DownloadBlobsAsync(room, recording.Id);
        Assert.Equal(AllFiles, blobs.Keys.Order());
        foreach (var asset in recording.Assets.Where(a => a.Type is "transcript" or "summary"))
        {
            Assert.Equal(asset.Content, blobs[asset.FileName]);
            Assert.Equal(1, host.Simulator.Engine.CompletedDownloadsOf(asset.Id));
        }
        var markdown = Encoding.UTF8.GetString(blobs["summary.md"]);
        Assert.Contains("Agenda", markdown);
        Assert.Contains("Short Summary", markdown);
        var manifest = JsonNode.Parse(blobs["manifest.json"])!;
        Assert.Equal(id, manifest["instance_id"]!.GetValue<string>());
        Assert.Equal(["summary.json", "summary.md", "transcript.json", "transcript.srt", "transcript.txt"],
            manifest["files"]!.AsArray().Select(f => f!["name"]!.GetValue<string>().Split('/')[^1]).Order());
        Assert.Equal(final["blobs"]!.AsArray().Select(b => b!.GetValue<string>()).Order(),
            blobs.Keys.Select(k => $"{room}/{recording.Id}/{k}").Order());

        // Nothing secret reaches the host's logs, whatever the host logs.
        string[] secrets = [host.Simulator.Options.AppSecret, AppHostFixture.WebhookSecret, "eyJhbGciOi"];
        Assert.NotEmpty(host.Log);
        foreach (var line in host.Log)
            foreach (var secret in secrets) Assert.False(line.Contains(secret, StringComparison.Ordinal), $"a secret ({secret[..4]}…) is in the {host.Name}'s log");

        HostTimings.Record($"{host.Name} happy path (start → recording 1 s → completed, time scale {AppHostFixture.TimeScale}): {AppHostFixture.Seconds(duration)}");
        output.WriteLine($"happy path on the {host.Name}: {AppHostFixture.Seconds(duration)}; host start {AppHostFixture.Seconds(host.StartTime)}");
    }

    [HostFact]
    public async Task Recordings_routes_need_a_function_key_and_the_webhook_route_is_anonymous_and_checks_its_header()
    {
        var room = host.NewRoomId();
        var instance = $"{room}-00000000000000000000000000000000";
        var routes = typeof(RecordingsFunctions).Assembly.GetTypes().SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .SelectMany(m => m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>())
            .ToList();
        using var anonymous = host.Anonymous();
        var keyed = routes.Where(r => r.AuthLevel != AuthorizationLevel.Anonymous).ToList();
        Assert.True(keyed.Count >= 6, $"only {keyed.Count} keyed routes");
        foreach (var route in keyed)
        {
            foreach (var method in route.Methods!)
            {
                var path = "api/" + route.Route!.Replace("{roomId}", room).Replace("{instanceId}", instance);
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) };
                using var response = await anonymous.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} without a key: {(int)response.StatusCode}");
                using var wrongKey = new HttpRequestMessage(new HttpMethod(method), path + "?code=not-the-key") { Content = JsonContent.Create(new { }) };
                Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(wrongKey)).StatusCode);
            }
        }
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"api/recordings?room_id={room}&code={Uri.EscapeDataString(host.FunctionKey)}")).StatusCode);
        using (var api = host.Api())
            Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"api/recordings/{instance}")).StatusCode);

        // Anonymous to the host: the webhook (it checks its header) and the page (it checks keys or sign-in itself).
        var anonymousRoutes = routes.Where(r => r.AuthLevel == AuthorizationLevel.Anonymous).ToList();
        var webhook = Assert.Single(anonymousRoutes, r => !r.Route!.StartsWith("page", StringComparison.Ordinal));
        var pageData = anonymousRoutes.Where(r => r.Route!.StartsWith("page/", StringComparison.Ordinal)
            && r.Route is not ("page/assets/{name}" or "page/session")).ToList();
        Assert.True(pageData.Count >= 6, $"only {pageData.Count} page data routes");
        foreach (var route in pageData)
        {
            foreach (var method in route.Methods!)
            {
                var path = "api/" + route.Route!.Replace("{roomId}", room).Replace("{instanceId}", instance).Replace("{name}", "transcript.json");
                using var noKey = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) };
                using var refused = await anonymous.SendAsync(noKey);
                Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} without a key: {(int)refused.StatusCode}");
                using var wrongKey = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) };
                wrongKey.Headers.Add("x-functions-key", "not-the-key");
                Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(wrongKey)).StatusCode);
            }
        }
        using (var api = host.Api())
        {
            // The page checks a key by asking the host, so the host's own key opens the page's routes.
            using var list = await api.GetAsync($"api/page/recordings?room_id={room}");
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            using var session = await api.GetAsync("api/page/session");
            Assert.Equal("function_key", (await session.Content.ReadFromJsonAsync<JsonObject>())!["access"]!.GetValue<string>());
        }

        var envelope = new { id = Guid.NewGuid().ToString(), type = "peer.join.success", version = "2.0", timestamp = DateTimeOffset.UtcNow, data = new { room_id = room } };
        using var noHeader = await anonymous.PostAsJsonAsync("api/" + webhook.Route, envelope);
        Assert.Equal(HttpStatusCode.Unauthorized, noHeader.StatusCode);
        Assert.Equal("application/problem+json", noHeader.Content.Headers.ContentType?.MediaType);
        using var withHeader = new HttpRequestMessage(HttpMethod.Post, "api/" + webhook.Route) { Content = JsonContent.Create(envelope) };
        withHeader.Headers.Add(LocalStack.WebhookHeader, AppHostFixture.WebhookSecret);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(withHeader)).StatusCode);
    }

    [HostFact]
    public async Task An_Idempotency_Key_returns_the_same_pipeline_and_a_busy_room_is_a_409_naming_it_until_a_stop_frees_it()
    {
        var room = host.NewRoomId();
        var key = "weekly-sync-" + Guid.NewGuid().ToString("N");
        using var first = await host.StartAsync(room, EveryOutput, key);
        using var again = await host.StartAsync(room, EveryOutput, key);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());

        await host.WaitForPhaseAsync(id, "recording");
        using var busy = await host.StartAsync(room, EveryOutput);
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        Assert.Equal("application/problem+json", busy.Content.Headers.ContentType?.MediaType);
        var problem = (await busy.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(id, problem["instance_id"]!.GetValue<string>());
        Assert.Equal(new Uri(host.BaseUrl, $"api/recordings/{id}").ToString(), problem["status_uri"]!.GetValue<string>());

        // Stop: the recording stops now, and the pipeline archives it.
        await PipelineHarness.WaitUntilAsync(() => host.Simulator.Engine.Recordings.Any(r => r.RoomId == room && r.Status == "running"));
        using (var api = host.Api())
        {
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"api/recordings/{id}/stop", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"api/recordings/{id}/stop", null)).StatusCode);
        }
        var final = await host.WaitForEndAsync(id);
        Assert.True(final["phase"]!.GetValue<string>() == "completed", final.ToJsonString());
        Assert.Contains("stopping", final["phases"]!.AsArray().Select(p => p!["phase"]!.GetValue<string>()));
        Assert.Equal(1, host.Simulator.Engine.Recordings.Count(r => r.RoomId == room));
        Assert.Equal(AllFiles, (await host.DownloadBlobsAsync(room, final["recording_id"]!.GetValue<string>())).Keys.Order());
        using (var api = host.Api())
            Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"api/recordings/{id}/stop", null)).StatusCode);
        using var freed = await host.StartAsync(room, new { }, key);
        Assert.Equal(id, (await freed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>()); // the key still names it
    }

    [HostFact]
    public async Task A_start_scheduled_a_few_seconds_ahead_and_cancelled_never_reaches_100ms()
    {
        var room = host.NewRoomId();
        var startAt = DateTimeOffset.UtcNow.AddSeconds(12); // ahead of a slow machine: a cancel racing the start stops a recording instead
        var id = await host.StartPipelineAsync(room, new { start_at = startAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+00:00'"), duration = 600 });
        var scheduled = await host.GetAsync(id);
        Assert.Equal("scheduled", scheduled["phase"]!.GetValue<string>());
        Assert.Equal(600, scheduled["schedule"]!["duration"]!.GetValue<int>());

        using (var api = host.Api())
        {
            using var cancel = await api.DeleteAsync($"api/recordings/{id}");
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }
        var final = await host.WaitForPhaseAsync(id, "cancelled");
        Assert.Equal("cancelled", final["phase"]!.GetValue<string>());
        Assert.Equal("api", final["cancelled_by"]!.GetValue<string>());
        Assert.Equal("Completed", final["runtime_status"]!.GetValue<string>());
        using (var api = host.Api())
        {
            Assert.Equal(HttpStatusCode.Accepted, (await api.DeleteAsync($"api/recordings/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"api/recordings/{id}/stop", null)).StatusCode);
        }
        var wait = startAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2);
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        Assert.DoesNotContain(host.Simulator.Engine.Recordings, r => r.RoomId == room);
        Assert.Equal("cancelled", (await host.GetAsync(id))["phase"]!.GetValue<string>());
    }

    [HostFact]
    public async Task Webhooks_answered_500_once_are_healed_by_100ms_retries()
    {
        host.Relay.FailFirstDelivery = true;
        try
        {
            var room = host.NewRoomId();
            var id = await host.StartPipelineAsync(room, EveryOutput);
            await host.RecordThenEndRoomAsync(id, room, TimeSpan.FromSeconds(1));
            var final = await host.WaitForEndAsync(id);

            Assert.True(final["phase"]!.GetValue<string>() == "completed", final.ToJsonString());
            var recordingId = final["recording_id"]!.GetValue<string>();
            foreach (var type in new[] { "beam.recording.success", "transcription.success" })
            {
                var attempts = host.Simulator.Engine.Deliveries.Where(d => d.Type == type && d.RecordingId == recordingId).OrderBy(d => d.Attempt).ToList();
                Assert.Equal([500, 200], attempts.Select(d => d.Status ?? 0));
            }
            Assert.Equal(AllFiles, (await host.DownloadBlobsAsync(room, recordingId)).Keys.Order());
        }
        finally
        {
            host.Relay.FailFirstDelivery = false;
        }
    }

    [HostFact]
    public async Task An_invalid_body_is_a_400_problem_naming_each_field_and_starts_no_pipeline()
    {
        var room = host.NewRoomId();
        using var response = await host.StartAsync(room, new
        {
            transcription = new
            {
                enabled = true,
                output_modes = new[] { "txt", "pdf" },
                summary = new { enabled = true, temperature = 5, sections = Enumerable.Range(0, 7).Select(i => new { title = $"S{i}", format = "bullets" }) },
            },
            surprise = 1,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        var fields = problem["errors"]!.AsObject().Select(e => e.Key).ToList();
        foreach (var field in new[] { "transcription.output_modes[1]", "transcription.summary.temperature", "transcription.summary.sections", "surprise" })
            Assert.Contains(fields, f => f.StartsWith(field, StringComparison.Ordinal));
        Assert.Contains("0.1", problem["errors"]!.ToJsonString());

        using var api = host.Api();
        var list = (await api.GetFromJsonAsync<JsonObject>($"api/recordings?room_id={room}"))!;
        Assert.Empty(list["items"]!.AsArray());
        Assert.DoesNotContain(host.Simulator.Engine.Recordings, r => r.RoomId == room);
    }

    [HostFact]
    public async Task Unknown_routes_and_methods_a_route_does_not_take_are_404s_without_a_body()
    {
        var room = host.NewRoomId();
        using var api = host.Api();
        foreach (var (method, path) in new[] { ("GET", "api/nothing-here"), ("PUT", $"api/recordings/{room}-00000000000000000000000000000000"),
                     ("GET", $"api/rooms/{room}/recordings"), ("GET", "api/webhooks/100ms") })
        {
            using var response = await api.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
    }

    [HostFact]
    public async Task The_calendar_timer_schedules_a_pipeline_for_a_meeting_in_its_feed()
    {
        var room = host.NewRoomId();
        var start = DateTimeOffset.UtcNow.AddHours(3);
        var uid = "standup-" + Guid.NewGuid().ToString("N")[..8];
        var feed = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//RecordingFunctions host scenarios//EN\r\n"
            + $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{Utc(start)}\r\nDTEND:{Utc(start.AddMinutes(30))}\r\n"
            + $"SUMMARY:Standup\r\nDESCRIPTION:100ms-room-id: {room}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        var blob = new BlobServiceClient(host.Azurite.ConnectionString).GetBlobContainerClient(AppHostFixture.FeedBlob.Split('/')[0])
            .GetBlobClient(AppHostFixture.FeedBlob[(AppHostFixture.FeedBlob.IndexOf('/') + 1)..]);
        await blob.UploadAsync(BinaryData.FromString(feed), overwrite: true);

        // Nothing but the timer syncs the feed.
        using var api = host.Api();
        JsonNode? pipeline = null;
        await WaitUntilAsync(async () =>
        {
            var list = (await api.GetFromJsonAsync<JsonObject>($"api/recordings?room_id={room}"))!;
            pipeline = list["items"]!.AsArray().SingleOrDefault();
            return pipeline is not null;
        }, TimeSpan.FromSeconds(60));

        Assert.Equal("scheduled", pipeline!["phase"]!.GetValue<string>());
        Assert.Equal(AppHostFixture.FeedName, pipeline["calendar"]!["feed"]!.GetValue<string>());
        Assert.Equal(uid, pipeline["calendar"]!["event_uid"]!.GetValue<string>());
        Assert.Equal(start.ToUnixTimeSeconds(), DateTimeOffset.Parse(pipeline["schedule"]!["start_at"]!.GetValue<string>()).ToUnixTimeSeconds());
        await Task.Delay(TimeSpan.FromSeconds(5)); // more timer runs schedule nothing twice
        Assert.Single((await api.GetFromJsonAsync<JsonObject>($"api/recordings?room_id={room}"))!["items"]!.AsArray());

        await blob.DeleteAsync(); // the other scenarios' timer runs stay quick
        using var cancel = await api.DeleteAsync($"api/recordings/{pipeline["id"]!.GetValue<string>()}");
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
    }

    [HostFact]
    public async Task A_host_killed_while_a_pipeline_waits_for_transcription_comes_back_and_the_pipeline_completes_with_each_blob_once()
    {
        var floor = host.Simulator.Options.TranscriptionFloor;
        host.Simulator.Options.TranscriptionFloor = TimeSpan.FromMinutes(100); // 20 s real: the transcription ends after the restart
        string id, room = host.NewRoomId();
        try
        {
            id = await host.StartPipelineAsync(room, EveryOutput);
            await host.RecordThenEndRoomAsync(id, room, TimeSpan.FromSeconds(1));
            await host.WaitForPhaseAsync(id, "transcribing");
        }
        finally
        {
            host.Simulator.Options.TranscriptionFloor = floor;
        }
        host.KillHost();
        await host.StartHostAsync();
        output.WriteLine($"restarted the {host.Name} in {AppHostFixture.Seconds(host.StartTime)}");

        var final = await host.WaitForEndAsync(id, TimeSpan.FromSeconds(150));
        Assert.True(final["phase"]!.GetValue<string>() == "completed", final.ToJsonString());
        var recording = host.Simulator.Engine.Find(final["recording_id"]!.GetValue<string>())!;
        var blobs = await host.DownloadBlobsAsync(room, recording.Id);
        Assert.Equal(AllFiles, blobs.Keys.Order());
        foreach (var asset in recording.Assets.Where(a => a.Type is "transcript" or "summary"))
        {
            Assert.Equal(asset.Content, blobs[asset.FileName]);
            Assert.Equal(1, host.Simulator.Engine.CompletedDownloadsOf(asset.Id));
        }
        Assert.Equal(1, host.Simulator.Engine.Recordings.Count(r => r.RoomId == room));
    }

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'");

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition never became true.");
            await Task.Delay(250);
        }
    }
}

[RequiresFunctionsHost]
public sealed class FunctionsHostScenarios(FunctionsHostFixture host, ITestOutputHelper output)
    : HostScenarios<FunctionsHostFixture>(host, output), IClassFixture<FunctionsHostFixture>;

public sealed class LocalHostScenarios(LocalHostFixture host, ITestOutputHelper output)
    : HostScenarios<LocalHostFixture>(host, output), IClassFixture<LocalHostFixture>;
