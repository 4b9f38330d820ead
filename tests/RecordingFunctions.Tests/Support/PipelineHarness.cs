using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecordingFunctions.HmsSimulator;
using RecordingFunctions.LocalHost;

namespace RecordingFunctions.Tests.Support;

/// <summary>
/// The whole product on real parts: the local host (the Functions app's function classes on the in-process Durable
/// engine) over HTTP, the 100ms simulator over HTTP sending its webhooks to it, and Azurite for the blobs.
/// </summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    public const string WebhookSecret = "test-webhook-secret-4f1c";
    public const double TimeScale = 300;

    private PipelineHarness(HmsSimulatorHost simulator, WebApplication app, Uri apiUrl, BlobContainerClient recordings)
    {
        Simulator = simulator;
        App = app;
        Api = new HttpClient { BaseAddress = apiUrl, Timeout = TimeSpan.FromSeconds(30) };
        Recordings = recordings;
    }

    public HmsSimulatorHost Simulator { get; }
    public WebApplication App { get; }
    public HttpClient Api { get; }
    public BlobContainerClient Recordings { get; }
    public DurableTaskClient Durable => App.Services.GetRequiredService<DurableTaskClient>();

    public static async Task<PipelineHarness> StartAsync(
        string storageConnectionString,
        Action<SimulatorOptions>? simulator = null,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? overrideServices = null,
        Uri? webhookUrl = null)
    {
        var apiUrl = new Uri($"http://127.0.0.1:{Loopback.FreePort()}/");
        var hms = await HmsSimulatorHost.StartAsync(options =>
        {
            options.TimeScale = TimeScale;
            options.WebhookUrl = (webhookUrl ?? new Uri(apiUrl, "api/webhooks/100ms")).ToString();
            options.WebhookHeaders[LocalStack.WebhookHeader] = WebhookSecret;
            options.WebhookRetryDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)];
            simulator?.Invoke(options);
        });

        var container = "rec" + Guid.NewGuid().ToString("N")[..16];
        var configuration = new Dictionary<string, string?>(hms.AppSettings())
        {
            ["LocalHost:Durable"] = nameof(DurableBackend.InMemory),
            ["AzureWebJobsStorage"] = storageConnectionString,
            ["RecordingStorage:Container"] = container,
            ["Pipeline:MaxRecordingDuration"] = "00:30:00",
            ["Pipeline:RecordingEndMargin"] = "00:05:00",
            ["Pipeline:PollInterval"] = "00:01:00",
            ["Pipeline:MaxPolls"] = "20",
            ["Pipeline:RetryFirstInterval"] = "00:00:00.200",
            ["Pipeline:RetryMaxInterval"] = "00:00:01",
            ["LocalHost:CalendarSyncInterval"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;

        WebApplication app;
        try
        {
            app = LocalApp.Build([], builder =>
            {
                builder.WebHost.UseUrls(apiUrl.ToString());
                builder.Configuration.AddInMemoryCollection(configuration);
            }, overrideServices);
            await app.StartAsync();
        }
        catch
        {
            await hms.DisposeAsync();
            throw;
        }
        var recordings = new BlobServiceClient(storageConnectionString).GetBlobContainerClient(container);
        return new PipelineHarness(hms, app, apiUrl, recordings);
    }

    /// <summary>A fresh 100ms-style room id.</summary>
    public string NewRoomId() => Simulator.Engine.NewId();

    public Task<HttpResponseMessage> StartAsync(string roomId, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/rooms/{roomId}/recordings") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return Api.SendAsync(request);
    }

    /// <summary>Starts a pipeline and returns its instance id, failing the test unless the API accepted it.</summary>
    public async Task<string> StartPipelineAsync(string roomId, object body)
    {
        var response = await StartAsync(roomId, body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonObject>();
        return json!["id"]!.GetValue<string>();
    }

    public async Task<JsonObject> GetAsync(string instanceId) =>
        (await Api.GetFromJsonAsync<JsonObject>($"api/recordings/{instanceId}"))!;

    /// <summary>Polls the status API until the pipeline reaches <paramref name="phase"/> (or any final phase).</summary>
    public async Task<JsonObject> WaitForPhaseAsync(string instanceId, string phase, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var status = await GetAsync(instanceId);
            var current = status["phase"]?.GetValue<string>();
            if (current == phase || current is "completed" or "failed" or "transcription_timed_out" or "cancelled" or "expired") return status;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Pipeline {instanceId} stayed in phase {current}, not {phase}.");
            await Task.Delay(100);
        }
    }

    public async Task<JsonObject> WaitForEndAsync(string instanceId, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        await Durable.WaitForInstanceCompletionAsync(instanceId, cancel.Token);
        return await GetAsync(instanceId);
    }

    /// <summary>Records for a little while, then ends the room as a meeting would.</summary>
    public async Task RecordThenEndRoomAsync(string instanceId, string roomId, TimeSpan recordFor)
    {
        await WaitForPhaseAsync(instanceId, "recording");
        await WaitUntilAsync(() => Simulator.Engine.Recordings.Any(r => r.RoomId == roomId && r.Status == "running"));
        await Task.Delay(recordFor);
        Simulator.Engine.StopRoom(roomId, "room ended");
    }

    public async Task<Dictionary<string, byte[]>> DownloadBlobsAsync(string roomId, string recordingId)
    {
        var blobs = new Dictionary<string, byte[]>();
        await foreach (var item in Recordings.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"{roomId}/{recordingId}/", CancellationToken.None))
        {
            var content = await Recordings.GetBlobClient(item.Name).DownloadContentAsync();
            blobs[item.Name[(roomId.Length + recordingId.Length + 2)..]] = content.Value.Content.ToArray();
        }
        return blobs;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition never became true.");
            await Task.Delay(50);
        }
    }


    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
