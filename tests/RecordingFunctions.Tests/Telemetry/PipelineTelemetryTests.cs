using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RecordingFunctions.HmsSimulator;
using RecordingFunctions.Telemetry;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Telemetry;

/// <summary>
/// The meter and the ActivitySource are process-wide, so these tests run alone (after the parallel ones), with an
/// Azurite of their own: every exported metric point then comes from the pipelines started here.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Telemetry";
}

/// <summary>
/// What an operator sees of pipelines, captured by in-memory exporters behind the app's own OpenTelemetry setup: one
/// pipeline that completes and one that fails, on the real Durable engine with the simulator and Azurite.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed partial class PipelineTelemetryTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan RecordFor = TimeSpan.FromSeconds(1.2);

    private static readonly object FullBody = new
    {
        transcription = new
        {
            enabled = true,
            output_modes = new[] { "txt", "srt", "json" },
            summary = new { enabled = true, sections = new[] { new { title = "Agenda", format = "bullets" } } },
        },
    };

    [Fact]
    public async Task A_completed_and_a_failed_pipeline_are_traced_counted_and_logged_without_secrets()
    {
        var captured = new Captured();
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString, overrideServices: captured.AddTo);

        var room = harness.NewRoomId();
        var completedId = await harness.StartPipelineAsync(room, FullBody);
        await harness.RecordThenEndRoomAsync(completedId, room, RecordFor);
        var completed = await harness.WaitForEndAsync(completedId);
        Assert.Equal("completed", completed["phase"]!.GetValue<string>());
        var recordingId = completed["recording_id"]!.GetValue<string>();

        harness.Simulator.Engine.SetFaults(new FaultSettings { FailTranscriptionOutputs = ["summary"] });
        var failedRoom = harness.NewRoomId();
        var failedId = await harness.StartPipelineAsync(failedRoom, FullBody);
        await harness.RecordThenEndRoomAsync(failedId, failedRoom, RecordFor);
        var failed = await harness.WaitForEndAsync(failedId);
        Assert.Equal("failed", failed["phase"]!.GetValue<string>());
        var failedRecordingId = failed["recording_id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostWebhookAsync(harness, "{}", "wrong-secret")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostWebhookAsync(harness, "not json", PipelineHarness.WebhookSecret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(harness,
            """{"id":"e1","type":"peer.join.success","timestamp":"2026-12-02T10:00:00Z","data":{"room_id":"64a1b2c3d4e5f60718293a4b"}}""",
            PipelineHarness.WebhookSecret)).StatusCode);

        // The outcome activity has run when the orchestration completed; its span and log are exported on their end.
        await PipelineHarness.WaitUntilAsync(() => captured.Spans(s => s.DisplayName == "RecordOutcome").Count == 2);
        var metrics = captured.CollectMetrics(harness.App.Services);

        AssertSpans(captured, completedId, recordingId, room, summarised: true);
        AssertSpans(captured, failedId, failedRecordingId, failedRoom, summarised: false);
        AssertMetrics(metrics);
        AssertLogs(captured, failedId, failedRecordingId, completedId);
        AssertNoSecrets(captured, metrics, harness.Simulator);
    }

    private static void AssertSpans(Captured captured, string instanceId, string recordingId, string roomId, bool summarised)
    {
        var spans = captured.Spans(s => Equals(s.GetTagItem(RecordingFunctionsTelemetry.InstanceIdTag), instanceId));
        var names = spans.Select(s => s.DisplayName).ToHashSet();

        // Durable's distributed tracing carries the start request's trace through the orchestration into every activity.
        Assert.Single(spans.Select(s => s.TraceId).Distinct());
        Assert.Contains("orchestration:RecordingPipeline", names);

        // The start request, each kind of activity, the calls to 100ms, the downloads and the blob uploads.
        Assert.Contains(spans, s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("rooms/{roomId}/recordings", StringComparison.Ordinal));
        foreach (var activity in new[] { "StartRecording", "GetRecording", "CopyAsset", "WriteManifest", "RecordOutcome" })
            Assert.Contains(activity, names);
        Assert.Equal(summarised, names.Contains("RenderSummary"));
        Assert.Contains("100ms POST recordings/room/{id}/start", names);
        Assert.Contains("100ms GET recording-assets/{id}/presigned-url", names);
        Assert.Contains("copy transcript.txt", names);
        Assert.Contains("upload manifest.json", names);
        Assert.Contains(spans, s => s.Kind == ActivityKind.Client && (s.GetTagItem("url.full") as string)?.Contains("/files/", StringComparison.Ordinal) == true);

        // Spans that name a recording name this one; the steps after the start all name it; all name the room.
        Assert.All(spans.Where(s => s.GetTagItem(RecordingFunctionsTelemetry.RecordingIdTag) is not null),
            s => Assert.Equal(recordingId, s.GetTagItem(RecordingFunctionsTelemetry.RecordingIdTag)));
        Assert.All(spans.Where(s => s.DisplayName is "CopyAsset" or "RenderSummary" or "WriteManifest" or "RecordOutcome"
                || s.DisplayName.StartsWith("copy ", StringComparison.Ordinal) || s.DisplayName.StartsWith("upload ", StringComparison.Ordinal)),
            s => Assert.Equal(recordingId, s.GetTagItem(RecordingFunctionsTelemetry.RecordingIdTag)));
        Assert.All(spans, s => Assert.Equal(roomId, s.GetTagItem(RecordingFunctionsTelemetry.RoomIdTag)));

        // Nothing the app exports about this recording lacks the pipeline's instance id.
        var ofRecording = captured.Spans(s => Equals(s.GetTagItem(RecordingFunctionsTelemetry.RecordingIdTag), recordingId)
            && s.Source.Name == RecordingFunctionsTelemetry.Name);
        Assert.All(ofRecording, s => Assert.Equal(instanceId, s.GetTagItem(RecordingFunctionsTelemetry.InstanceIdTag)));
    }

    private static void AssertMetrics(IReadOnlyDictionary<string, MetricSnapshot> metrics)
    {
        long Sum(string name, params (string Key, string Value)[] tags) => Points(metrics, name)
            .Where(p => tags.All(t => Tag(p, t.Key) == t.Value))
            .Sum(p => metrics[name].MetricType.IsHistogram() ? p.GetHistogramCount() : p.GetSumLong());

        Assert.Equal(2, Sum("recordingfunctions.pipelines.started", ("origin", "api")));
        Assert.Equal(1, Sum("recordingfunctions.pipelines.ended", ("phase", "completed"), ("origin", "api")));
        Assert.Equal(1, Sum("recordingfunctions.pipelines.ended", ("phase", "failed"), ("origin", "api")));
        foreach (var phase in new[] { "starting", "recording", "processing", "transcribing", "copying" })
            Assert.True(Sum("recordingfunctions.pipeline.phase.duration", ("phase", phase)) >= 1, $"no time recorded for phase {phase}");
        Assert.Equal(0, Sum("recordingfunctions.pipeline.phase.duration", ("phase", "completed")));

        Assert.Equal(1, Sum("recordingfunctions.webhooks.requests", ("outcome", "unauthorized"), ("event_type", "none")));
        Assert.Equal(1, Sum("recordingfunctions.webhooks.requests", ("outcome", "invalid")));
        Assert.Equal(1, Sum("recordingfunctions.webhooks.requests", ("outcome", "ignored"), ("event_type", "peer.join.success")));
        Assert.True(Sum("recordingfunctions.webhooks.requests", ("outcome", "routed"), ("event_type", "transcription.success")) >= 1);
        Assert.True(Sum("recordingfunctions.webhooks.requests", ("outcome", "routed"), ("event_type", "beam.recording.success")) >= 2);

        // Both pipelines copied three transcripts; only the completed one had a summary.
        Assert.Equal(2, Sum("recordingfunctions.asset_copy.size", ("file", "transcript.txt")));
        Assert.Equal(1, Sum("recordingfunctions.asset_copy.size", ("file", "summary.json")));
        Assert.Equal(2, Sum("recordingfunctions.asset_copy.duration", ("file", "transcript.srt")));
        var txt = Points(metrics, "recordingfunctions.asset_copy.size").Single(p => Tag(p, "file") == "transcript.txt");
        Assert.True(txt.GetHistogramSum() > 0);

        Assert.Equal(2, Sum("recordingfunctions.hms.request.duration", ("operation", "POST recordings/room/{id}/start"), ("status", "200")));
        Assert.True(Sum("recordingfunctions.hms.request.duration", ("operation", "GET recording-assets/{id}/presigned-url"), ("status", "200")) >= 4);
        Assert.All(Points(metrics, "recordingfunctions.hms.request.duration"),
            p => Assert.DoesNotMatch("[0-9a-f]{24}", Tag(p, "operation")));
    }

    private static void AssertLogs(Captured captured, string failedId, string failedRecordingId, string completedId)
    {
        var error = Assert.Single(captured.Logs, l => l.Level == LogLevel.Error && l.Attributes.GetValueOrDefault("InstanceId") == failedId);
        Assert.Equal(failedRecordingId, error.Attributes["RecordingId"]);
        Assert.Equal("failed", error.Attributes["Phase"]);
        Assert.Contains("transcription.failure", error.Attributes["Reason"]);
        Assert.DoesNotContain(captured.Logs, l => l.Level >= LogLevel.Warning && l.Attributes.GetValueOrDefault("InstanceId") == completedId);
        Assert.Contains(captured.Logs, l => l.Level == LogLevel.Information && l.Attributes.GetValueOrDefault("InstanceId") == completedId
            && l.Attributes.GetValueOrDefault("Phase") == "completed");
    }

    private static void AssertNoSecrets(Captured captured, IReadOnlyDictionary<string, MetricSnapshot> metrics, HmsSimulatorHost simulator)
    {
        var items = new List<(string What, string Text)>();
        foreach (var span in captured.Spans(_ => true))
        {
            var text = new StringBuilder().Append(span.DisplayName).Append(' ').Append(span.StatusDescription);
            foreach (var tag in span.TagObjects) text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
            foreach (var e in span.Events) { text.Append(' ').Append(e.Name); foreach (var tag in e.Tags) text.Append(' ').Append(tag.Value); }
            foreach (var item in span.Baggage) text.Append(' ').Append(item.Value);
            items.Add(($"span {span.DisplayName}", text.ToString()));
        }
        foreach (var log in captured.Logs) items.Add(($"log {log.Category}", log.Text));
        foreach (var metric in metrics.Values)
            foreach (var point in Points(metrics, metric.Name))
                foreach (var tag in point.Tags) items.Add(($"metric {metric.Name}", $"{tag.Key}={tag.Value}"));

        Assert.True(items.Count > 100, $"only {items.Count} items were exported");
        string[] secrets = [simulator.Options.AppSecret, PipelineHarness.WebhookSecret, "wrong-secret"];
        foreach (var (what, text) in items)
        {
            foreach (var secret in secrets) Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{what} contains a secret: {text}");
            Assert.False(Jwt().IsMatch(text), $"{what} contains a token: {text}");
            // The simulator's presigned URLs are /files/{asset}/{name}?expires=...&sig=...
            Assert.False(PresignedQuery().IsMatch(text), $"{what} contains a presigned URL's query: {text}");
        }
        Assert.Contains(items, i => i.Text.Contains("/files/", StringComparison.Ordinal));

        // URLs are recorded without their query, not even a redacted one.
        var urls = captured.Spans(_ => true).SelectMany(s => s.TagObjects).Where(t => t.Key.Contains("url", StringComparison.Ordinal)).ToList();
        Assert.Contains(urls, t => t.Key == "url.full" && t.Value is string url && url.Contains("/files/", StringComparison.Ordinal));
        Assert.All(urls, t => Assert.DoesNotContain("?", t.Value?.ToString() ?? ""));
    }

    private static Task<HttpResponseMessage> PostWebhookAsync(PipelineHarness harness, string body, string secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/webhooks/100ms") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(LocalStack.WebhookHeader, secret);
        return harness.Api.SendAsync(request);
    }

    private static List<MetricPoint> Points(IReadOnlyDictionary<string, MetricSnapshot> metrics, string name) =>
        metrics.TryGetValue(name, out var metric) ? [.. metric.MetricPoints] : [];

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
            if (tag.Key == key) return tag.Value?.ToString();
        return null;
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(sig|expires)=", RegexOptions.IgnoreCase)]
    private static partial Regex PresignedQuery();

    private sealed record CapturedLog(string Category, LogLevel Level, Dictionary<string, string?> Attributes, string Text);

    /// <summary>In-memory exporters added after the app's own telemetry setup, as an operator's exporter would be.</summary>
    private sealed class Captured
    {
        private readonly List<Activity> spans = [];
        private readonly List<MetricSnapshot> metrics = [];
        private readonly List<CapturedLog> logs = [];

        public IReadOnlyList<CapturedLog> Logs { get { lock (logs) return [.. logs]; } }

        public List<Activity> Spans(Func<Activity, bool> where) { lock (spans) return [.. spans.Where(where)]; }

        public void AddTo(IServiceCollection services)
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new SimpleActivityExportProcessor(new Collect<Activity>(batch =>
            {
                lock (spans) foreach (var span in batch) spans.Add(span);
            }))));
            services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
            services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddProcessor(new SimpleLogRecordExportProcessor(new Collect<LogRecord>(batch =>
            {
                // Log records are pooled: copy what is needed while exporting.
                lock (logs) foreach (var record in batch) logs.Add(Copy(record));
            }))));
            services.Configure<OpenTelemetryLoggerOptions>(options => options.IncludeFormattedMessage = true);
        }

        public IReadOnlyDictionary<string, MetricSnapshot> CollectMetrics(IServiceProvider services)
        {
            var provider = services.GetRequiredService<MeterProvider>();
            lock (metrics) metrics.Clear();
            Assert.True(provider.ForceFlush(10_000));
            lock (metrics) return metrics.GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.Last());
        }

        private static CapturedLog Copy(LogRecord record)
        {
            var attributes = (record.Attributes ?? []).ToDictionary(a => a.Key, a => a.Value?.ToString());
            var text = $"{record.CategoryName} {record.FormattedMessage} {record.Body} {record.Exception} "
                + string.Join(' ', attributes.Select(a => $"{a.Key}={a.Value}"));
            return new CapturedLog(record.CategoryName ?? "", record.LogLevel, attributes, text);
        }
    }

    private sealed class Collect<T>(Action<Batch<T>> collect) : BaseExporter<T> where T : class
    {
        public override ExportResult Export(in Batch<T> batch)
        {
            collect(batch);
            return ExportResult.Success;
        }
    }
}
