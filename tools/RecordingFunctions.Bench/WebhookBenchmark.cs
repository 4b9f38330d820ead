using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecordingFunctions.HmsSimulator;

namespace RecordingFunctions.Bench;

/// <summary>
/// Webhook ingestion under concurrent load from a separate process: authenticated events routed to running
/// pipelines, and requests with a wrong secret.
/// </summary>
public static class WebhookBenchmark
{
    public sealed record ClassResult(string Kind, int Sent, int Ok, int Delivered, double RequestsPerSecond, double P50, double P95, double P99);

    /// <summary>In the parent: pipelines waiting in <c>recording</c>, then this tool again as the load generator.</summary>
    public static async Task<List<ClassResult>> RunAsync(string storage, string backend, int pipelines, int seconds, int concurrency)
    {
        await using var stack = await Stack.StartAsync(storage, backend, silentRecordings: true);
        var rooms = new List<string>();
        for (var i = 0; i < pipelines; i++)
        {
            var room = stack.Simulator.Engine.NewId();
            var id = await stack.StartPipelineAsync(room, new { });
            rooms.Add(room);
        }
        while (stack.Simulator.Engine.Recordings.Count(r => r.Status == "running") < pipelines) await Task.Delay(100);

        return await RunLoadProcessAsync(new Uri(stack.Api.BaseAddress!, "api/webhooks/100ms"), Stack.WebhookSecret, rooms, seconds, concurrency);
    }

    /// <summary>This tool again, as the load generator in a separate process.</summary>
    public static async Task<List<ClassResult>> RunLoadProcessAsync(Uri url, string secret, IEnumerable<string> rooms, int seconds, int concurrency)
    {
        var load = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { typeof(WebhookBenchmark).Assembly.Location, "webhook-load", "--url", url.ToString(),
            "--secret", secret, "--rooms", string.Join(",", rooms), "--seconds", seconds.ToString(CultureInfo.InvariantCulture), "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture) })
            load.ArgumentList.Add(arg);
        using var child = Process.Start(load)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        return JsonSerializer.Deserialize<List<ClassResult>>(output)!;
    }

    /// <summary>
    /// The ceiling for routed webhooks: Azurite's raw enqueue rate on the same queue service, with the same
    /// concurrency, from a separate process (a routed event needs at least one enqueue).
    /// </summary>
    public static async Task<double> RunEnqueueProcessAsync(string storage, int seconds, int concurrency)
    {
        var load = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { typeof(WebhookBenchmark).Assembly.Location, "enqueue-load", "--storage", storage,
            "--seconds", seconds.ToString(CultureInfo.InvariantCulture), "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture) })
            load.ArgumentList.Add(arg);
        using var child = Process.Start(load)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        return double.Parse(output.Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
    }

    /// <summary>In the child: messages the size of a raised event, enqueued as fast as the queue takes them; prints messages/s.</summary>
    public static async Task EnqueueLoadAsync(string storage, int seconds, int concurrency)
    {
        var queue = new Azure.Storage.Queues.QueueClient(storage, "bench-enqueue-" + Guid.NewGuid().ToString("N")[..8]);
        await queue.CreateAsync();
        var message = new string('x', 600);
        var sent = 0;
        var until = DateTime.UtcNow.AddSeconds(seconds);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (DateTime.UtcNow < until)
            {
                await queue.SendMessageAsync(message);
                Interlocked.Increment(ref sent);
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        await queue.DeleteAsync();
        Console.WriteLine((sent / elapsed).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A webhook 100ms would send for a room, of a type the pipeline takes and does nothing with.</summary>
    public static string EventBody(string room) =>
        "{\"version\":\"2.0\",\"id\":\"" + Guid.NewGuid() + "\",\"timestamp\":\"" + DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)
        + "\",\"type\":\"beam.started.success\",\"data\":{\"room_id\":\"" + room + "\",\"session_id\":\"000000000000000000000000\",\"beam_id\":\"b\"}}";

    /// <summary>In the child: the load itself, printed as JSON.</summary>
    public static async Task LoadAsync(Uri url, string secret, string[] rooms, int seconds, int concurrency)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { Timeout = TimeSpan.FromSeconds(30) };
        var routed = new List<double>();
        var rejected = new List<double>();
        int routedOk = 0, rejectedOk = 0, delivered = 0, counter = 0;
        var until = DateTime.UtcNow.AddSeconds(seconds);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            while (DateTime.UtcNow < until)
            {
                var n = Interlocked.Increment(ref counter);
                var authentic = n % 2 == 0;
                var room = rooms[n % rooms.Length];
                var body = EventBody(room);
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add(LocalStack.WebhookHeader, authentic ? secret : "wrong-secret");
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (authentic)
                {
                    lock (routed) routed.Add(ms);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref routedOk);
                        Interlocked.Add(ref delivered, JsonNode.Parse(text)?["delivered"]?.GetValue<int>() ?? 0);
                    }
                }
                else
                {
                    lock (rejected) rejected.Add(ms);
                    if (response.StatusCode == HttpStatusCode.Unauthorized) Interlocked.Increment(ref rejectedOk);
                }
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        routed.Sort();
        rejected.Sort();
        List<ClassResult> results =
        [
            new("routed (authenticated)", routed.Count, routedOk, delivered, routed.Count / elapsed, Percentiles.Of(routed, 50), Percentiles.Of(routed, 95), Percentiles.Of(routed, 99)),
            new("rejected (wrong secret)", rejected.Count, rejectedOk, 0, rejected.Count / elapsed, Percentiles.Of(rejected, 50), Percentiles.Of(rejected, 95), Percentiles.Of(rejected, 99)),
        ];
        Console.WriteLine(JsonSerializer.Serialize(results));
    }
}
