using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using RecordingFunctions.HmsSimulator;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.LocalHost;

/// <summary>
/// The local host keeps its Durable state in Azurite: killing the process at any phase loses nothing.
/// The host runs as a real child process here, so that it can really be killed.
/// </summary>
public sealed class RestartTests : IAsyncLifetime
{
    private const double TimeScale = 300;
    private const string WebhookSecret = "restart-webhook-secret";
    private readonly int apiPort = Loopback.FreePort();
    private Azurite azurite = null!;
    private HmsSimulatorHost simulator = null!;
    private Process? host;
    private readonly List<string> hostLog = [];
    private readonly string container = "restart" + Guid.NewGuid().ToString("N")[..12];
    private readonly string taskHub = "restart" + Guid.NewGuid().ToString("N")[..12];

    // Generous: other suites (the 105-recording sweep) may load the machine while this host replays its hub.
    private HttpClient Api => new() { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/"), Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        azurite = await Azurite.StartAsync();
        simulator = await HmsSimulatorHost.StartAsync(options =>
        {
            options.TimeScale = TimeScale;
            options.WebhookUrl = $"http://127.0.0.1:{apiPort}/api/webhooks/100ms";
            options.WebhookHeaders[LocalStack.WebhookHeader] = WebhookSecret;
            options.TranscriptionFloor = TimeSpan.FromMinutes(30);
        });
    }

    public async Task DisposeAsync()
    {
        KillHost();
        await simulator.DisposeAsync();
        await azurite.DisposeAsync();
    }

    [Fact]
    public async Task Pipelines_killed_while_waiting_for_transcription_and_while_copying_complete_after_restart_with_every_blob_once()
    {
        await StartHostAsync();
        var waitingRoom = simulator.Engine.NewId();
        var copyingRoom = simulator.Engine.NewId();
        var waiting = await StartPipelineAsync(waitingRoom);
        var copying = await StartPipelineAsync(copyingRoom);
        await EndMeetingsAsync(waiting, waitingRoom, copying, copyingRoom);

        // Kill 1: both pipelines wait for their transcription.
        await WaitForPhaseAsync(waiting, "transcribing");
        await WaitForPhaseAsync(copying, "transcribing");
        KillHost();
        simulator.Engine.SetFaults(new FaultSettings { DownloadBytesPerSecond = 2500 });
        await StartHostAsync();

        // Kill 2: the copies are under way (the json transcript streams slowly).
        await WaitForPhaseAsync(copying, "copying", TimeSpan.FromSeconds(90));
        await Task.Delay(1500);
        KillHost();
        var slowAsset = simulator.Engine.Recordings.Single(r => r.RoomId == copyingRoom).Assets.Single(a => a.OutputMode == "json" && a.Type == "transcript");
        Assert.Equal(0, simulator.Engine.CompletedDownloadsOf(slowAsset.Id)); // the kill really cut a copy short
        simulator.Engine.SetFaults(new FaultSettings());
        await StartHostAsync();

        foreach (var (id, room) in new[] { (waiting, waitingRoom), (copying, copyingRoom) })
        {
            var final = await WaitForPhaseAsync(id, "completed", TimeSpan.FromSeconds(120));
            Assert.Equal("completed", final["phase"]!.GetValue<string>());
            var recording = simulator.Engine.Find(final["recording_id"]!.GetValue<string>())!;
            var blobs = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(container);
            var names = new List<string>();
            await foreach (var blob in blobs.GetBlobsAsync(BlobTraits.None, BlobStates.Uncommitted, $"{room}/", CancellationToken.None))
            {
                names.Add(blob.Name.Split('/')[^1]);
                Assert.True(blob.Properties.ContentLength > 0, $"{blob.Name} is committed and not empty");
            }
            Assert.Equal(["manifest.json", "summary.json", "summary.md", "transcript.json", "transcript.srt", "transcript.txt"], names.Order());
            foreach (var asset in recording.Assets.Where(a => a.Type is "transcript" or "summary"))
            {
                var content = await blobs.GetBlobClient($"{room}/{recording.Id}/{asset.FileName}").DownloadContentAsync();
                Assert.Equal(asset.Content, content.Value.Content.ToArray());
                Assert.Equal(1, simulator.Engine.CompletedDownloadsOf(asset.Id));
            }
            var manifest = JsonNode.Parse((await blobs.GetBlobClient($"{room}/{recording.Id}/manifest.json").DownloadContentAsync()).Value.Content.ToString())!;
            Assert.Equal(5, manifest["files"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).Distinct().Count());
        }
        Assert.Equal(2, simulator.Engine.CallsTo(Endpoints.Start));

        await AssertNoSecretAnywhereAsync();
    }

    /// <summary>
    /// Durable history is stored in plain tables: after the whole run, no secret may be in the task hub's tables,
    /// queues or blobs, in the recordings, or in the host's logs. Any JWT (a management token) counts as a secret.
    /// </summary>
    private async Task AssertNoSecretAnywhereAsync()
    {
        string[] secrets = [simulator.Options.AppSecret, WebhookSecret, "eyJhbGciOi"];
        var places = new List<(string Where, string Text)>();
        await foreach (var table in new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString).QueryAsync())
        {
            await foreach (var entity in new Azure.Data.Tables.TableClient(azurite.ConnectionString, table.Name).QueryAsync<Azure.Data.Tables.TableEntity>())
                places.Add(($"table {table.Name}", string.Join("|", entity.Select(p => p.Value?.ToString()))));
        }
        var queues = new Azure.Storage.Queues.QueueServiceClient(azurite.ConnectionString);
        await foreach (var queue in queues.GetQueuesAsync())
        {
            var messages = await queues.GetQueueClient(queue.Name).PeekMessagesAsync(32);
            places.AddRange(messages.Value.Select(m => ($"queue {queue.Name}", m.Body.ToString())));
        }
        var blobService = new BlobServiceClient(azurite.ConnectionString);
        await foreach (var container in blobService.GetBlobContainersAsync())
        {
            var client = blobService.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, null, CancellationToken.None))
            {
                var content = await client.GetBlobClient(blob.Name).DownloadContentAsync();
                places.Add(($"blob {container.Name}/{blob.Name}", content.Value.Content.ToString() + string.Join("|", blob.Metadata.Values)));
            }
        }
        lock (hostLog) places.AddRange(hostLog.Select(line => ("host log", line)));

        Assert.Contains(places, p => p.Where.StartsWith("table", StringComparison.Ordinal) && p.Text.Contains("transcription"));
        Assert.True(places.Count > 50, $"only {places.Count} places scanned");
        foreach (var (where, text) in places)
            foreach (var secret in secrets)
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a secret ({secret[..4]}…) is in {where}");
    }

    private async Task EndMeetingsAsync(params string[] pipelinesAndRooms)
    {
        for (var i = 0; i < pipelinesAndRooms.Length; i += 2) await WaitForPhaseAsync(pipelinesAndRooms[i], "recording");
        await PipelineHarness.WaitUntilAsync(() => simulator.Engine.Recordings.Count(r => r.Status == "running") == 2);
        await Task.Delay(1000);
        for (var i = 1; i < pipelinesAndRooms.Length; i += 2) simulator.Engine.StopRoom(pipelinesAndRooms[i], "room ended");
    }

    private async Task<string> StartPipelineAsync(string room)
    {
        using var api = Api;
        var response = await api.PostAsJsonAsync($"api/rooms/{room}/recordings", new
        {
            transcription = new { enabled = true, output_modes = new[] { "txt", "srt", "json" }, summary = new { enabled = true } },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    private async Task<JsonObject> WaitForPhaseAsync(string id, string phase, TimeSpan? timeout = null)
    {
        using var api = Api;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                var status = (await api.GetFromJsonAsync<JsonObject>($"api/recordings/{id}"))!;
                var current = status["phase"]!.GetValue<string>();
                if (current == phase || current is "completed" or "failed" or "transcription_timed_out") return status;
            }
            catch (HttpRequestException)
            {
                // The host is restarting.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{id} never reached {phase}");
            await Task.Delay(100);
        }
    }

    private async Task StartHostAsync()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(RepositoryPaths.Root, "src", "RecordingFunctions.LocalHost", "bin", configuration, "net10.0", "RecordingFunctions.LocalHost.dll");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{apiPort}");
        foreach (var (key, value) in new Dictionary<string, string?>(simulator.AppSettings().Select(s => KeyValuePair.Create(s.Key.Replace(":", "__"), s.Value)))
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["LocalHost__Durable"] = "AzureStorage",
            ["LocalHost__TaskHub"] = taskHub,
            ["LocalHost__VisibilityTimeout"] = "00:00:05",
            ["LocalHost__LeaseInterval"] = "00:00:05",
            ["LocalHost__LeaseRenewInterval"] = "00:00:02",
            ["RecordingStorage__Container"] = container,
            ["Pipeline__TranscriptionTimeoutFloor"] = "01:00:00",
            ["Pipeline__PollInterval"] = "00:01:00",
            ["Pipeline__RetryFirstInterval"] = "00:00:01",
            ["Pipeline__RetryMaxInterval"] = "00:00:02",
            ["DOTNET_PROCESSOR_COUNT"] = "16",
        }) start.Environment[key] = value;

        host = Process.Start(start)!;
        host.OutputDataReceived += (_, line) => { lock (hostLog) hostLog.Add(line.Data ?? ""); };
        host.ErrorDataReceived += (_, line) => { lock (hostLog) hostLog.Add(line.Data ?? ""); };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        var started = host;
        await Loopback.WaitForPortAsync(apiPort, () => started.HasExited, TimeSpan.FromSeconds(60));
    }

    private void KillHost()
    {
        if (host is null) return;
        if (!host.HasExited)
        {
            host.Kill(entireProcessTree: true);
            host.WaitForExit();
        }
        host.Dispose();
        host = null;
    }

}
