using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using RecordingFunctions.HmsSimulator;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Hosts;

/// <summary>
/// The app under one host, as a real child process that can be killed and started again, with its own Azurite,
/// its own 100ms simulator and a <see cref="WebhookRelay"/> between the two: everything a host scenario talks to,
/// over HTTP only. Subclasses say how to launch their host; the scenarios (<c>Scenarios/HostScenarios</c>) are the
/// same for every host.
/// </summary>
public abstract class AppHostFixture : IAsyncLifetime
{
    public const string WebhookSecret = "host-scenarios-webhook-secret-7d2e";
    public const double TimeScale = 300;
    public const string Container = "recordings";
    public const string FeedName = "scenarios";
    /// <summary>The blob the calendar timer reads its feed from (<c>container/path</c>, in the app's storage).</summary>
    public const string FeedBlob = "calendars/scenarios.ics";

    private readonly List<string> log = [];
    private Process? host;
    private StreamWriter? logFile;

    public abstract string Name { get; }
    public Azurite Azurite { get; private set; } = null!;
    public HmsSimulatorHost Simulator { get; private set; } = null!;
    public WebhookRelay Relay { get; private set; } = null!;
    public int Port { get; } = Loopback.FreePort();
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");
    /// <summary>The function key recordings routes need.</summary>
    public string FunctionKey { get; protected set; } = "";
    public BlobContainerClient Recordings => new BlobServiceClient(Azurite.ConnectionString).GetBlobContainerClient(Container);
    /// <summary>How long the last start took until the app answered.</summary>
    public TimeSpan StartTime { get; private set; }

    /// <summary>What the host printed so far (stdout and stderr); also written to <c>.artifacts/hosts/</c>.</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (log) return [.. log];
        }
    }

    /// <summary>A client that sends the function key (header <c>x-functions-key</c>).</summary>
    public HttpClient Api()
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
        return client;
    }

    public HttpClient Anonymous() => new() { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };

    public virtual async Task InitializeAsync()
    {
        Azurite = await Azurite.StartAsync();
        Relay = await WebhookRelay.StartAsync();
        Relay.Target = new Uri(BaseUrl, "api/webhooks/100ms");
        Simulator = await HmsSimulatorHost.StartAsync(options =>
        {
            options.TimeScale = TimeScale;
            options.WebhookUrl = Relay.Url.ToString();
            options.WebhookHeaders[LocalStack.WebhookHeader] = WebhookSecret;
            options.WebhookRetryDelays = [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];
        });
        await new BlobServiceClient(Azurite.ConnectionString).GetBlobContainerClient(FeedBlob.Split('/')[0]).CreateIfNotExistsAsync();
        var logs = Path.Combine(RepositoryPaths.Root, ".artifacts", "hosts");
        Directory.CreateDirectory(logs);
        logFile = new StreamWriter(Path.Combine(logs, $"{GetType().Name}-{Port}.log")) { AutoFlush = true };
        await StartHostAsync();
    }

    /// <summary>The settings every host gets (keys with <c>:</c>): storage, the simulator, fast timings, the calendar feed.</summary>
    protected IDictionary<string, string?> AppSettings()
    {
        var settings = new Dictionary<string, string?>(Simulator.AppSettings())
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["RecordingStorage:Container"] = Container,
            ["Pipeline:MaxRecordingDuration"] = "00:30:00",
            ["Pipeline:RecordingEndMargin"] = "00:05:00",
            // Webhooks drive the scenarios; polling only makes up for ones lost while a host restarts.
            ["Pipeline:TranscriptionTimeoutFloor"] = "03:00:00",
            ["Pipeline:PollInterval"] = "00:01:00",
            ["Pipeline:MaxPolls"] = "30",
            ["Pipeline:RetryFirstInterval"] = "00:00:00.500",
            ["Pipeline:RetryMaxInterval"] = "00:00:02",
            ["Calendar:Feeds:0:Name"] = FeedName,
            ["Calendar:Feeds:0:Blob"] = FeedBlob,
            // The page guarded as in Azure: no opening for this machine; keys checked by asking the host itself.
            ["Page:OpenOnLoopback"] = "false",
            ["Page:KeyCheckUrl"] = new Uri(BaseUrl, "api/page/key").ToString(),
        };
        return settings;
    }

    /// <summary>Starts the host process; <see cref="WaitUntilReadyAsync"/> follows.</summary>
    protected abstract Task<Process> LaunchAsync();

    /// <summary>Waits until the app serves requests (and sets <see cref="FunctionKey"/> if the host makes it).</summary>
    protected abstract Task WaitUntilReadyAsync(Process process, CancellationToken cancellationToken);

    public async Task StartHostAsync()
    {
        var clock = Stopwatch.StartNew();
        var process = await LaunchAsync();
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        host = process;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await WaitUntilReadyAsync(process, timeout.Token);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"The {Name} did not start: {e.Message}\nLast lines:\n{string.Join('\n', Log.TakeLast(40))}", e);
        }
        StartTime = clock.Elapsed;
        HostTimings.Record($"{Name} start: {StartTime.TotalSeconds:0.0} s");
    }

    /// <summary>Kills the host and every process it started (the worker), as a crash would.</summary>
    public void KillHost()
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

    protected void EnsureRunning(Process process)
    {
        if (process.HasExited) throw new InvalidOperationException($"the process exited with code {process.ExitCode}");
    }

    /// <summary>Polls until GET <paramref name="path"/> answers 200.</summary>
    protected async Task WaitForOkAsync(Process process, string path, string key, CancellationToken cancellationToken)
    {
        using var client = Anonymous();
        while (true)
        {
            EnsureRunning(process);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Add("x-functions-key", key);
                using var response = await client.SendAsync(request, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(200, cancellationToken);
        }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (log)
        {
            log.Add(line);
            logFile?.WriteLine(line);
        }
    }

    public async Task DisposeAsync()
    {
        KillHost();
        if (Simulator is not null) await Simulator.DisposeAsync();
        if (Relay is not null) await Relay.DisposeAsync();
        if (Azurite is not null) await Azurite.DisposeAsync();
        lock (log) logFile?.Dispose();
    }

    // What scenarios do over HTTP.

    public string NewRoomId() => Simulator.Engine.NewId();

    public async Task<HttpResponseMessage> StartAsync(string roomId, object body, string? idempotencyKey = null)
    {
        using var api = Api();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/rooms/{roomId}/recordings") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await api.SendAsync(request);
    }

    public async Task<string> StartPipelineAsync(string roomId, object body)
    {
        using var response = await StartAsync(roomId, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    public async Task<JsonObject> GetAsync(string instanceId)
    {
        using var api = Api();
        return (await api.GetFromJsonAsync<JsonObject>($"api/recordings/{instanceId}"))!;
    }

    /// <summary>Polls the status route until the pipeline is in <paramref name="phase"/> or has ended; tolerates a host that is restarting.</summary>
    public async Task<JsonObject> WaitForPhaseAsync(string instanceId, string phase, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        string? current = null;
        while (true)
        {
            try
            {
                var status = await GetAsync(instanceId);
                current = status["phase"]?.GetValue<string>();
                if (current == phase || current is "completed" or "failed" or "transcription_timed_out" or "cancelled") return status;
            }
            catch (HttpRequestException)
            {
                // restarting
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Pipeline {instanceId} stayed in phase {current}, not {phase}, on the {Name}.");
            await Task.Delay(200);
        }
    }

    public Task<JsonObject> WaitForEndAsync(string instanceId, TimeSpan? timeout = null) =>
        WaitForPhaseAsync(instanceId, "completed", timeout ?? TimeSpan.FromSeconds(120));

    /// <summary>Waits until 100ms records, records a little while, then ends the room as a meeting would.</summary>
    public async Task RecordThenEndRoomAsync(string instanceId, string roomId, TimeSpan recordFor)
    {
        await WaitForPhaseAsync(instanceId, "recording");
        await PipelineHarness.WaitUntilAsync(() => Simulator.Engine.Recordings.Any(r => r.RoomId == roomId && r.Status == "running"));
        await Task.Delay(recordFor);
        Simulator.Engine.StopRoom(roomId, "room ended");
    }

    /// <summary>Every blob under the recording's folder, committed or not, by file name.</summary>
    public async Task<Dictionary<string, byte[]>> DownloadBlobsAsync(string roomId, string recordingId)
    {
        var blobs = new Dictionary<string, byte[]>();
        var prefix = $"{roomId}/{recordingId}/";
        await foreach (var item in Recordings.GetBlobsAsync(BlobTraits.None, BlobStates.Uncommitted, prefix, CancellationToken.None))
        {
            var content = await Recordings.GetBlobClient(item.Name).DownloadContentAsync();
            blobs[item.Name[prefix.Length..]] = content.Value.Content.ToArray();
        }
        return blobs;
    }

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
