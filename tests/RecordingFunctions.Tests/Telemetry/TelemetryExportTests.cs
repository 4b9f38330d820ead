using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using RecordingFunctions.Pipeline;
using RecordingFunctions.Telemetry;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Telemetry;

/// <summary>Where telemetry goes is decided by configuration alone: Application Insights, OTLP, both, or nowhere.</summary>
public sealed class TelemetryExportTests
{
    [Fact]
    public async Task An_OTLP_endpoint_receives_the_apps_spans_over_http()
    {
        await using var collector = await Collector.StartAsync();
        var paths = await ExportOneSpanAsync(new()
        {
            [TelemetryServiceCollectionExtensions.OtlpEndpoint] = collector.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        }, collector, "/v1/traces");
        Assert.Contains("/v1/traces", paths);
    }

    [Fact]
    public void Nothing_is_exported_when_neither_is_configured()
    {
        var services = new ServiceCollection();
        services.AddRecordingFunctionsTelemetry(new ConfigurationBuilder().Build());
        var exporters = services.Select(d => d.ImplementationType?.FullName ?? d.ServiceType.FullName ?? "")
            .Where(n => n.Contains("AzureMonitor", StringComparison.Ordinal) || n.Contains("Otlp", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(exporters);

        var configured = new ServiceCollection();
        configured.AddRecordingFunctionsTelemetry(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TelemetryServiceCollectionExtensions.OtlpEndpoint] = "http://127.0.0.1:1",
            [TelemetryServiceCollectionExtensions.ApplicationInsightsConnectionString] = "InstrumentationKey=00000000-0000-0000-0000-000000000001",
        }).Build());
        Assert.Contains(configured, d => (d.ImplementationType?.FullName ?? d.ServiceType.FullName ?? "").Contains("AzureMonitor", StringComparison.Ordinal));
        Assert.Contains(configured, d => (d.ImplementationType?.FullName ?? d.ServiceType.FullName ?? "").Contains("Otlp", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Authorization=AAD;ClientId=7d1c2a4e-0000-4000-8000-000000000001", true)]
    [InlineData("ClientId=7d1c2a4e-0000-4000-8000-000000000001;Authorization=AAD", true)]
    [InlineData("Authorization=AAD", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("Authorization=Key", false)]
    public void The_authentication_string_chooses_a_managed_identity(string? authentication, bool managedIdentity)
    {
        var credential = TelemetryServiceCollectionExtensions.CredentialFor(authentication);
        Assert.Equal(managedIdentity, credential is ManagedIdentityCredential);
    }

    [Fact]
    public void Operations_name_100ms_paths_without_ids_or_queries()
    {
        Assert.Equal("GET recording-assets/{id}/presigned-url",
            RecordingFunctionsTelemetry.HmsOperation(HttpMethod.Get, "recording-assets/6b105997000000a422c66463/presigned-url?presign_duration=1800"));
        Assert.Equal("POST recordings/room/{id}/start", RecordingFunctionsTelemetry.HmsOperation(HttpMethod.Post, "recordings/room/6b105997000000a422c66463/start"));
    }

    [Fact]
    public void Spans_inherit_the_pipelines_ids_and_lose_their_urls_query()
    {
        var processor = new PipelineSpanProcessor();
        using var parent = new Activity("CopyAsset").SetTag(RecordingFunctionsTelemetry.DurableInstanceIdTag, "6b105997000000a422c66463-0123456789abcdef0123456789abcdef").Start();
        parent.SetTag(RecordingFunctionsTelemetry.RecordingIdTag, "6b105997000000a422c66464");
        processor.OnEnd(parent);
        using var child = new Activity("GET").SetTag("url.full", "https://bucket.example/f.txt?X-Amz-Signature=abc").SetTag("url.query", "X-Amz-Signature=abc").Start();
        processor.OnStart(child);
        child.Stop();
        processor.OnEnd(child);

        Assert.Equal("6b105997000000a422c66463-0123456789abcdef0123456789abcdef", parent.GetTagItem(RecordingFunctionsTelemetry.InstanceIdTag));
        Assert.Equal("6b105997000000a422c66463", parent.GetTagItem(RecordingFunctionsTelemetry.RoomIdTag));
        Assert.Equal("6b105997000000a422c66463-0123456789abcdef0123456789abcdef", child.GetTagItem(RecordingFunctionsTelemetry.InstanceIdTag));
        Assert.Equal("6b105997000000a422c66464", child.GetTagItem(RecordingFunctionsTelemetry.RecordingIdTag));
        Assert.Equal("https://bucket.example/f.txt", child.GetTagItem("url.full"));
        Assert.Null(child.GetTagItem("url.query"));
    }

    private static async Task<IReadOnlyCollection<string>> ExportOneSpanAsync(Dictionary<string, string?> settings, Collector collector, string expectedPath)
    {
        // As in every host, the configuration is a service too: the OTLP exporter reads its options from it.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddRecordingFunctionsTelemetry(configuration);
        await using var provider = services.BuildServiceProvider();
        var tracer = provider.GetRequiredService<TracerProvider>();
        using (RecordingFunctionsTelemetry.StartSpan("export test", instanceId: "6b105997000000a422c66463-export")) { }
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!collector.Paths.Contains(expectedPath) && DateTime.UtcNow < deadline)
        {
            tracer.ForceFlush(5_000);
            await Task.Delay(200);
        }
        return collector.Paths.ToArray();
    }

    /// <summary>A loopback HTTP endpoint that accepts anything and remembers the paths posted to.</summary>
    private sealed class Collector : IAsyncDisposable
    {
        private readonly WebApplication app;

        private Collector(WebApplication app, string url)
        {
            this.app = app;
            Url = url;
        }

        public string Url { get; }
        public ConcurrentBag<string> Paths { get; } = [];

        public static async Task<Collector> StartAsync()
        {
            var url = $"http://127.0.0.1:{Loopback.FreePort()}/";
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls(url);
            var app = builder.Build();
            var collector = new Collector(app, url);
            app.Run(async context =>
            {
                collector.Paths.Add(context.Request.Path.Value ?? "");
                await context.Request.Body.CopyToAsync(Stream.Null);
                context.Response.StatusCode = StatusCodes.Status200OK;
                });
            await app.StartAsync();
            return collector;
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
