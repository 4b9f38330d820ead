using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RecordingFunctions.Hms;
using RecordingFunctions.HmsSimulator;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Pipeline;

/// <summary>Dependencies that go away for a while and come back: nothing is lost.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OutageTests(AzuriteFixture azurite)
{
    private static readonly object Transcribed = new
    {
        transcription = new { enabled = true, output_modes = new[] { "txt", "srt", "json" }, summary = new { enabled = true } },
    };

    [Fact]
    public async Task Key_Vault_unavailable_for_a_while_delays_the_start_but_loses_nothing()
    {
        FlakySecretStore? vault = null;
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString, overrideServices: services =>
        {
            services.RemoveAll<IHmsSecretStore>();
            services.AddSingleton<IHmsSecretStore>(provider => vault = new FlakySecretStore(
                new ConfigurationSecretStore(provider.GetRequiredService<IOptionsMonitor<HmsOptions>>()), failures: 3));
        });
        var room = harness.NewRoomId();

        var id = await harness.StartPipelineAsync(room, Transcribed);
        await harness.RecordThenEndRoomAsync(id, room, TimeSpan.FromSeconds(1));
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("completed", final["phase"]!.GetValue<string>());
        Assert.Equal(3, vault!.Failed);
        Assert.Single(harness.Simulator.Engine.Recordings);
        Assert.Equal(6, (await harness.DownloadBlobsAsync(room, final["recording_id"]!.GetValue<string>())).Count);
    }

    [Fact]
    public async Task A_500_from_the_receiver_is_healed_by_100ms_retry_schedule()
    {
        await using var proxy = await WebhookRelay.StartAsync(failFirstDelivery: true);
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString, webhookUrl: proxy.Url);
        proxy.Target = new Uri(harness.Api.BaseAddress!, "api/webhooks/100ms");
        var room = harness.NewRoomId();

        var id = await harness.StartPipelineAsync(room, Transcribed);
        await harness.RecordThenEndRoomAsync(id, room, TimeSpan.FromSeconds(1));
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("completed", final["phase"]!.GetValue<string>());
        foreach (var type in new[] { "beam.recording.success", "transcription.success" })
        {
            var attempts = harness.Simulator.Engine.Deliveries.Where(d => d.Type == type).OrderBy(d => d.Attempt).ToList();
            Assert.Equal([500, 200], attempts.Select(d => d.Status ?? 0));
            Assert.Single(attempts.Select(d => d.EventId).Distinct());
        }
        Assert.Equal(4, harness.Simulator.Engine.CallsTo(Endpoints.Download));
    }

    [Fact]
    public async Task Blob_Storage_unreachable_during_the_copy_is_retried_until_it_is_back()
    {
        await using var proxy = new SwitchableTcpProxy(azurite.Azurite.Ports.Blob);
        var throughProxy = azurite.ConnectionString.Replace($"127.0.0.1:{azurite.Azurite.Ports.Blob}", $"127.0.0.1:{proxy.Port}");
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString, settings: new Dictionary<string, string?>
        {
            ["RecordingStorage:ConnectionString"] = throughProxy,
            ["Pipeline:RetryAttempts"] = "12",
        });
        harness.Simulator.Engine.SetFaults(new FaultSettings { DownloadBytesPerSecond = 4000 });
        var room = harness.NewRoomId();

        var id = await harness.StartPipelineAsync(room, Transcribed);
        await harness.RecordThenEndRoomAsync(id, room, TimeSpan.FromSeconds(1));
        await harness.WaitForPhaseAsync(id, "copying");
        await Task.Delay(500);
        proxy.Down = true;
        await Task.Delay(3000);
        var stillCopying = (await harness.GetAsync(id))["phase"]!.GetValue<string>();
        proxy.Down = false;
        harness.Simulator.Engine.SetFaults(new FaultSettings());
        var final = await harness.WaitForEndAsync(id);

        Assert.Equal("copying", stillCopying);
        Assert.True(final["phase"]!.GetValue<string>() == "completed", final.ToJsonString());
        var recording = harness.Simulator.Engine.Find(final["recording_id"]!.GetValue<string>())!;
        var blobs = await harness.DownloadBlobsAsync(room, recording.Id);
        Assert.Equal(6, blobs.Count);
        foreach (var asset in recording.Assets.Where(a => a.Type is "transcript" or "summary"))
            Assert.Equal(asset.Content, blobs[asset.FileName]);
    }

    /// <summary>A secret store that is unreachable for its first calls, like a vault during an outage.</summary>
    private sealed class FlakySecretStore(IHmsSecretStore inner, int failures) : IHmsSecretStore
    {
        private int calls;

        public int Failed => Math.Min(Volatile.Read(ref calls), failures);

        public ValueTask<string?> GetAsync(HmsSecret secret, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref calls) <= failures
                ? throw new SecretUnavailableException("hms-app-secret", new HttpRequestException("vault unreachable"))
                : inner.GetAsync(secret, cancellationToken);
    }
}
