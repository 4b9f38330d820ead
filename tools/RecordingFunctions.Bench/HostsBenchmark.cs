using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using RecordingFunctions.HmsSimulator;

namespace RecordingFunctions.Bench;

/// <summary>Which host runs the app in a <see cref="HostsBenchmark"/> session.</summary>
public sealed record HostChoice(string Name, string? Launcher = null, string? FunctionsApp = null)
{
    public static HostChoice Local => new("local host");

    public static HostChoice Functions(string launcher, string app) => new("Functions host", launcher, app);

    public bool IsFunctionsHost => Launcher is not null;
}

/// <summary>
/// One host as a child process behind the <see cref="StorageCountingProxy"/>: what it costs idle, per recording and
/// per webhook, in storage operations (counts), and how fast it runs pipelines and webhooks (times, compared with the
/// other host in the same run). The simulator runs in this process.
/// </summary>
public static class HostsBenchmark
{
    public const double TimeScale = 600;
    public const string WebhookSecret = "bench-webhook-secret";
    private const string QueuePoll = "queue get (empty)";

    public sealed record Options(int Pipelines, int IdleSeconds, int WebhookSeconds, int Concurrency, TimeSpan? QueuePollingInterval, bool IdleOnly = false);

    public sealed class Session
    {
        public required string Host { get; init; }
        public TimeSpan? QueuePollingInterval { get; init; }
        public TimeSpan StartTime { get; set; }
        public double IdleSeconds { get; set; }
        public Dictionary<string, double> IdlePerHour { get; set; } = [];
        public double IdleExecutionsPerHour { get; set; }
        public int Pipelines { get; set; }
        public int Completed { get; set; }
        public TimeSpan PipelinesWall { get; set; }
        public double CpuSecondsPerPipeline { get; set; }
        public long PeakResidentBytes { get; set; }
        public double ExecutionsPerPipeline { get; set; }
        /// <summary>Calls to 100ms's REST API per recording, by endpoint (file downloads as <c>download</c>).</summary>
        public Dictionary<string, double> HmsCallsPerPipeline { get; set; } = [];
        public Dictionary<string, double> PerPipeline { get; set; } = [];
        public Dictionary<string, double> PerWebhookOnePerRoom { get; set; } = [];
        public Dictionary<string, double> PerWebhookUnderLoad { get; set; } = [];
        public WebhookBenchmark.ClassResult? Routed { get; set; }
        public WebhookBenchmark.ClassResult? Rejected { get; set; }
        public double PipelinesPerSecond => Completed / PipelinesWall.TotalSeconds;
    }

    public static async Task<Session> RunAsync(string root, string storage, HostChoice choice, Options options)
    {
        await using var proxy = await StorageCountingProxy.StartAsync(storage);
        var port = HostProcess.FreePort();
        await using var simulator = await HmsSimulatorHost.StartAsync(o =>
        {
            o.TimeScale = TimeScale;
            o.WebhookUrl = $"http://127.0.0.1:{port}/api/webhooks/100ms";
            o.WebhookHeaders["X-100ms-Key"] = WebhookSecret;
        });
        var hub = "bench" + Guid.NewGuid().ToString("N")[..10];
        var settings = new Dictionary<string, string?>(simulator.AppSettings())
        {
            ["AzureWebJobsStorage"] = proxy.ConnectionString,
            ["RecordingStorage:Container"] = "bench",
            // The webhook run's recordings never end: they stay in `recording` for its whole length.
            ["Pipeline:MaxRecordingDuration"] = "48:00:00",
            // At time scale 600 the default 5 min of grace after the expected transcription time is 0.5 s, less than this
            // loaded machine's webhook delays: pipelines would fall back to polling 100ms, which a typical recording doesn't.
            ["Pipeline:TranscriptionTimeoutGrace"] = "01:00:00",
            ["Pipeline:RetryFirstInterval"] = "00:00:01",
            ["Pipeline:RetryMaxInterval"] = "00:00:05",
            ["LocalHost:TaskHub"] = hub,
            ["AzureFunctionsJobHost:extensions:durableTask:hubName"] = hub,
            ["CalendarSyncSchedule"] = "0 */5 * * * *",
            ["ArchiveSweepSchedule"] = "0 30 3 * * *",
        };
        var session = new Session { Host = choice.Name, QueuePollingInterval = options.QueuePollingInterval };
        var clock = Stopwatch.StartNew();
        await using var host = choice.IsFunctionsHost
            ? await HostProcess.StartFunctionsHostAsync(root, port, choice.Launcher!, choice.FunctionsApp!, settings, options.QueuePollingInterval)
            : await HostProcess.StartLocalAsync(root, port, settings);
        session.StartTime = clock.Elapsed;

        // Idle: after the start's own work (creating the task hub, taking leases) and Durable's back-off to its longest poll interval.
        await Task.Delay(options.QueuePollingInterval is null ? TimeSpan.FromSeconds(45) : TimeSpan.FromSeconds(10));
        var idleBefore = proxy.Snapshot();
        var idleExecutions = host.Executions;
        var idleClock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(options.IdleSeconds));
        var idle = Subtract(proxy.Snapshot(), idleBefore);
        session.IdleSeconds = idleClock.Elapsed.TotalSeconds;
        session.IdlePerHour = idle.ToDictionary(p => p.Key, p => p.Value * 3600 / session.IdleSeconds);
        session.IdleExecutionsPerHour = (host.Executions - idleExecutions) * 3600 / session.IdleSeconds;
        if (options.IdleOnly) return session;
        // What the app does on its own besides polling (lease renewals, timers), per second: taken out of the counts below.
        var background = idle.Where(p => p.Key != QueuePoll).ToDictionary(p => p.Key, p => p.Value / session.IdleSeconds);

        await RunPipelinesAsync(host, simulator, proxy, background, session, options.Pipelines);
        await RunWebhooksAsync(host, simulator, proxy, background, session, options);
        return session;
    }

    private static async Task RunPipelinesAsync(HostProcess host, HmsSimulatorHost simulator, StorageCountingProxy proxy, Dictionary<string, double> background, Session session, int count)
    {
        var body = new { transcription = new { enabled = true, output_modes = new[] { "txt", "srt", "json" }, summary = new { enabled = true } } };
        using var api = host.Api();
        var before = proxy.Snapshot();
        var manifestsBefore = proxy.ManifestsWritten;
        var cpuBefore = ProcessTree.CpuSeconds(host.ProcessId);
        var executionsBefore = host.Executions;
        var hmsBefore = HmsCalls(simulator);
        var memory = new ProcessTree.MemoryPeak(host.ProcessId);
        var clock = Stopwatch.StartNew();

        var rooms = Enumerable.Range(0, count).Select(_ => simulator.Engine.NewId()).ToList();
        using var gate = new SemaphoreSlim(16);
        var ids = await Task.WhenAll(rooms.Select(async room =>
        {
            await gate.WaitAsync();
            try { return await StartAsync(api, room, body); }
            finally { gate.Release(); }
        }));
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (simulator.Engine.Recordings.Count(r => rooms.Contains(r.RoomId) && r.Status == "running") < count && DateTime.UtcNow < deadline) await Task.Delay(100);
        // A typical recording: one hour (6 s at time scale 600), then the meeting ends.
        await Task.Delay(TimeSpan.FromHours(1) / TimeScale);
        foreach (var room in rooms) simulator.Engine.StopRoom(room, "room ended");
        while (proxy.ManifestsWritten < manifestsBefore + count && DateTime.UtcNow < deadline) await Task.Delay(100);
        session.PipelinesWall = clock.Elapsed;
        session.CpuSecondsPerPipeline = (ProcessTree.CpuSeconds(host.ProcessId) - cpuBefore) / count;
        session.PeakResidentBytes = await memory.StopAsync();
        await QuiesceAsync(proxy);
        session.PerPipeline = PerUnit(Subtract(proxy.Snapshot(), before), background, clock.Elapsed, count);
        session.ExecutionsPerPipeline = (host.Executions - executionsBefore) / (double)count;
        session.HmsCallsPerPipeline = HmsCalls(simulator).Select(p => (p.Key, Value: (p.Value - hmsBefore[p.Key]) / (double)count)).Where(p => p.Value > 0).ToDictionary(p => p.Key, p => p.Value);
        session.Pipelines = count;

        foreach (var id in ids)
        {
            var status = await api.GetFromJsonAsync<JsonObject>($"api/recordings/{id}");
            if (status?["phase"]?.GetValue<string>() == "completed") session.Completed++;
        }
    }

    private static async Task RunWebhooksAsync(HostProcess host, HmsSimulatorHost simulator, StorageCountingProxy proxy, Dictionary<string, double> background, Session session, Options options)
    {
        const int pipelines = 20;
        simulator.Engine.SetFaults(new FaultSettings { NeverEndRecordings = true });
        using var api = host.Api();
        var rooms = Enumerable.Range(0, pipelines).Select(_ => simulator.Engine.NewId()).ToList();
        foreach (var room in rooms) await StartAsync(api, room, new { });
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (simulator.Engine.Recordings.Count(r => rooms.Contains(r.RoomId) && r.Status == "running") < pipelines && DateTime.UtcNow < deadline) await Task.Delay(100);
        await QuiesceAsync(proxy);

        // One webhook per room, one after the other: what a webhook costs when 100ms sends them at a normal pace.
        var before = proxy.Snapshot();
        var clock = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        foreach (var room in rooms)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseUrl, "api/webhooks/100ms")) { Content = new StringContent(WebhookBenchmark.EventBody(room), Encoding.UTF8, "application/json") };
            request.Headers.Add("X-100ms-Key", WebhookSecret);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }
        await QuiesceAsync(proxy);
        session.PerWebhookOnePerRoom = PerUnit(Subtract(proxy.Snapshot(), before), background, clock.Elapsed, rooms.Count);

        // Under load from a separate process, half with a wrong secret.
        before = proxy.Snapshot();
        clock.Restart();
        var results = await WebhookBenchmark.RunLoadProcessAsync(new Uri(host.BaseUrl, "api/webhooks/100ms"), WebhookSecret, rooms, options.WebhookSeconds, options.Concurrency);
        session.Routed = results[0];
        session.Rejected = results[1];
        await QuiesceAsync(proxy);
        session.PerWebhookUnderLoad = PerUnit(Subtract(proxy.Snapshot(), before), background, clock.Elapsed, Math.Max(1, session.Routed.Ok));
    }

    private static Dictionary<string, int> HmsCalls(HmsSimulatorHost simulator) =>
        new[] { Endpoints.Start, Endpoints.StopRoom, Endpoints.StopRecording, Endpoints.GetRecording, Endpoints.ListRecordings, Endpoints.GetAsset,
            Endpoints.ListAssets, Endpoints.PresignedUrl, Endpoints.Download }.ToDictionary(e => e, simulator.Engine.CallsTo);

    private static async Task<string> StartAsync(HttpClient api, string room, object body)
    {
        using var response = await api.PostAsJsonAsync($"api/rooms/{room}/recordings", body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"start answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    /// <summary>Waits until the app's storage traffic, polling aside, has been still for 2 s (at most a minute).</summary>
    private static async Task QuiesceAsync(StorageCountingProxy proxy)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        long Work() => proxy.Snapshot().Where(p => p.Key != QueuePoll).Sum(p => p.Value);
        var last = Work();
        var stillSince = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline && DateTime.UtcNow - stillSince < TimeSpan.FromSeconds(2))
        {
            await Task.Delay(250);
            var now = Work();
            if (now != last) (last, stillSince) = (now, DateTime.UtcNow);
        }
    }

    private static Dictionary<string, long> Subtract(IReadOnlyDictionary<string, long> after, IReadOnlyDictionary<string, long> before) =>
        after.Select(p => (p.Key, Value: p.Value - before.GetValueOrDefault(p.Key))).Where(p => p.Value > 0).ToDictionary(p => p.Key, p => p.Value);

    /// <summary>Operations per unit of work, polling left out and the idle background of the same length taken out.</summary>
    private static Dictionary<string, double> PerUnit(Dictionary<string, long> delta, Dictionary<string, double> background, TimeSpan elapsed, int units) =>
        delta.Where(p => p.Key != QueuePoll)
            .Select(p => (p.Key, Value: Math.Max(0, p.Value - background.GetValueOrDefault(p.Key) * elapsed.TotalSeconds) / units))
            .Where(p => p.Value > 0).ToDictionary(p => p.Key, p => p.Value);

    public static string Format(double value) => value.ToString(value >= 100 ? "N0" : "0.0", CultureInfo.InvariantCulture);
}
