using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RecordingFunctions.HmsSimulator;
using RecordingFunctions.LocalHost;

namespace RecordingFunctions.Bench;

/// <summary>The local host and the simulator in this process, for the pipeline and webhook benchmarks.</summary>
public sealed class Stack : IAsyncDisposable
{
    public const string WebhookSecret = "bench-webhook-secret";
    public const double TimeScale = 600;

    private Stack(HmsSimulatorHost simulator, WebApplication app, Uri api)
    {
        Simulator = simulator;
        App = app;
        Api = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromMinutes(2) };
    }

    public HmsSimulatorHost Simulator { get; }
    public WebApplication App { get; }
    public HttpClient Api { get; }
    public DurableTaskClient Durable => App.Services.GetRequiredService<DurableTaskClient>();

    public static async Task<Stack> StartAsync(string storage, string backend, bool silentRecordings = false, TranscriptionToManifestClock? latency = null)
    {
        var port = FreePort();
        var api = new Uri($"http://127.0.0.1:{port}/");
        var simulator = await HmsSimulatorHost.StartAsync(o =>
        {
            o.TimeScale = TimeScale;
            o.WebhookUrl = new Uri(api, "api/webhooks/100ms").ToString();
            o.WebhookHeaders[LocalStack.WebhookHeader] = WebhookSecret;
        });
        if (silentRecordings) simulator.Engine.SetFaults(new FaultSettings { NeverEndRecordings = true });
        var app = LocalApp.Build([], builder =>
        {
            builder.WebHost.UseUrls(api.ToString());
            builder.Logging.SetMinimumLevel(LogLevel.Error);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(simulator.AppSettings())
            {
                ["LocalHost:Durable"] = backend,
                ["LocalHost:TaskHub"] = "bench" + Guid.NewGuid().ToString("N")[..10],
                ["AzureWebJobsStorage"] = storage,
                ["RecordingStorage:Container"] = "bench",
                ["Pipeline:RetryFirstInterval"] = "00:00:01",
                ["Pipeline:RetryMaxInterval"] = "00:00:05",
            });
            if (latency is not null) builder.Services.AddSingleton<IStartupFilter>(latency);
        }, services =>
        {
            if (latency is not null) services.AddSingleton(latency.BlobServiceClient(storage));
        });
        await app.StartAsync();
        return new Stack(simulator, app, api);
    }

    public async Task<string> StartPipelineAsync(string room, object body)
    {
        using var response = await Api.PostAsJsonAsync($"api/rooms/{room}/recordings", body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}

/// <summary>N recordings end to end at a fast time scale: wall time, throughput, CPU and memory per pipeline.</summary>
public static class PipelinesBenchmark
{
    public sealed record Result(string Engine, int Pipelines, int Completed, TimeSpan Wall, double CpuSeconds, long PeakWorkingSet, long StartWorkingSet, List<double> LatenciesMs)
    {
        public double PerSecond => Completed / Wall.TotalSeconds;
    }

    public static async Task<Result> RunAsync(string storage, string backend, int count)
    {
        var latency = new TranscriptionToManifestClock();
        await using var stack = await Stack.StartAsync(storage, backend, latency: latency);
        var body = new { transcription = new { enabled = true, output_modes = new[] { "txt", "srt", "json" }, summary = new { enabled = true } } };
        using var self = Process.GetCurrentProcess();
        GC.Collect();
        self.Refresh();
        var startMemory = self.WorkingSet64;
        var cpuBefore = self.TotalProcessorTime;
        var memory = MemorySampler.Start();
        var clock = Stopwatch.StartNew();

        var rooms = Enumerable.Range(0, count).Select(_ => stack.Simulator.Engine.NewId()).ToList();
        using var gate = new SemaphoreSlim(16);
        var ids = await Task.WhenAll(rooms.Select(async room =>
        {
            await gate.WaitAsync();
            try { return await stack.StartPipelineAsync(room, body); }
            finally { gate.Release(); }
        }));
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (stack.Simulator.Engine.Recordings.Count(r => r.Status == "running") < count && DateTime.UtcNow < deadline) await Task.Delay(100);
        foreach (var room in rooms) stack.Simulator.Engine.StopRoom(room, "room ended");

        var completed = 0;
        foreach (var id in ids)
        {
            using var timeout = new CancellationTokenSource(deadline - DateTime.UtcNow);
            try
            {
                var instance = await stack.Durable.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
                if (instance.ReadOutputAs<Pipeline.PipelineRecord>()?.Phase == Pipeline.PipelinePhase.Completed) completed++;
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        clock.Stop();
        var peak = await memory.StopAsync();
        self.Refresh();
        return new Result(backend, count, completed, clock.Elapsed, (self.TotalProcessorTime - cpuBefore).TotalSeconds, peak, startMemory, latency.LatenciesMs());
    }
}

/// <summary>
/// Per room, from <c>transcription.success</c> reaching the webhook route (first delivery) to <c>manifest.json</c>
/// written to Blob Storage: a middleware in front of the app's routes and a policy on the app's blob client.
/// </summary>
public sealed class TranscriptionToManifestClock : IStartupFilter
{
    private readonly ConcurrentDictionary<string, long> transcribed = new();
    private readonly ConcurrentDictionary<string, long> archived = new();

    public List<double> LatenciesMs() =>
        [.. transcribed.Where(t => archived.ContainsKey(t.Key)).Select(t => Stopwatch.GetElapsedTime(t.Value, archived[t.Key]).TotalMilliseconds).Order()];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path == "/api/webhooks/100ms")
            {
                var arrived = Stopwatch.GetTimestamp();
                context.Request.EnableBuffering();
                try
                {
                    using var body = await JsonDocument.ParseAsync(context.Request.Body);
                    if (body.RootElement.TryGetProperty("type", out var type) && type.GetString() == "transcription.success"
                        && body.RootElement.GetProperty("data").TryGetProperty("room_id", out var room))
                        transcribed.TryAdd(room.GetString()!, arrived);
                }
                catch (JsonException)
                {
                    // not an event: the route answers it
                }
                context.Request.Body.Position = 0;
            }
            await nextMiddleware();
        });
        next(app);
    };

    /// <summary>The app's blob client, noting when each room's manifest is written.</summary>
    public BlobServiceClient BlobServiceClient(string storage)
    {
        var options = new BlobClientOptions();
        options.AddPolicy(new ManifestWrites(archived), HttpPipelinePosition.PerCall);
        return new BlobServiceClient(storage, options);
    }

    private sealed class ManifestWrites(ConcurrentDictionary<string, long> archived) : HttpPipelineSynchronousPolicy
    {
        public override void OnReceivedResponse(HttpMessage message)
        {
            var path = message.Request.Uri.Path;
            if (message.Request.Method == RequestMethod.Put && path.EndsWith("/manifest.json", StringComparison.Ordinal) && message.Response.Status == 201)
            {
                var segments = path.Trim('/').Split('/'); // account/container/room/recording/manifest.json
                archived.TryAdd(segments[^3], Stopwatch.GetTimestamp());
            }
        }
    }
}
