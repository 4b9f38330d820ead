using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;

namespace RecordingFunctions.Telemetry;

/// <summary>
/// The app's own spans and metrics, in one place. Called from the API, the webhook receiver, the 100ms client and the
/// activities (the pipeline's own metrics are in <c>Pipeline/PipelineTelemetry</c>), never from orchestrator code: an orchestrator replays, and would count everything again.
/// </summary>
public static partial class RecordingFunctionsTelemetry
{
    /// <summary>The name of the ActivitySource and of the Meter.</summary>
    public const string Name = "RecordingFunctions";

    public const string InstanceIdTag = "pipeline.instance_id";
    public const string RoomIdTag = "hms.room_id";
    public const string RecordingIdTag = "hms.recording_id";
    /// <summary>The instance id Durable's own spans carry.</summary>
    public const string DurableInstanceIdTag = "durabletask.task.instance_id";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    private static readonly Counter<long> WebhookRequests = Meter.CreateCounter<long>(
        "recordingfunctions.webhooks.requests", "{request}", "100ms webhook requests, by outcome (routed, ignored, unauthorized, invalid) and event type.");
    private static readonly Histogram<double> HmsRequestDuration = Meter.CreateHistogram<double>(
        "recordingfunctions.hms.request.duration", "s", "100ms API calls, by operation and status; the count is the number of calls.");

    public static class WebhookOutcomes
    {
        public const string Routed = "routed";
        public const string Ignored = "ignored";
        public const string Unauthorized = "unauthorized";
        public const string Invalid = "invalid";
    }

    public static void WebhookReceived(string outcome, string? eventType, string? roomId = null, string? recordingId = null)
    {
        TagPipeline(Activity.Current, null, roomId, recordingId);
        WebhookRequests.Add(1, new("outcome", outcome), new("event_type", BoundedEventType(eventType)));
    }

    /// <param name="status">The HTTP status, or null when no answer came (network error, timeout).</param>
    public static void HmsCallCompleted(string operation, int? status, TimeSpan elapsed)
    {
        HmsRequestDuration.Record(elapsed.TotalSeconds,
            new("operation", operation), new("status", status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no_response"));
        Activity.Current?.SetTag("http.response.status_code", status);
    }

    /// <summary>A 100ms API path as a low-cardinality operation name: ids become <c>{id}</c>, the query is dropped.</summary>
    public static string HmsOperation(HttpMethod method, string path) =>
        $"{method} {HmsId().Replace(path.Split('?')[0], "{id}")}";

    /// <summary>Starts a span for a step of a pipeline (an activity, a copy, an upload), with the pipeline's ids.</summary>
    public static Activity? StartSpan(string name, string? instanceId = null, string? roomId = null, string? recordingId = null,
        ActivityKind kind = ActivityKind.Internal)
    {
        var span = Source.StartActivity(name, kind);
        TagPipeline(span, instanceId, roomId, recordingId);
        return span;
    }

    /// <summary>Marks a span failed with the exception's type only: messages may carry more than a span should.</summary>
    public static void Failed(Activity? span, Exception exception)
    {
        span?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        span?.SetTag("error.type", exception.GetType().FullName);
    }

    public static void TagPipeline(Activity? span, string? instanceId, string? roomId = null, string? recordingId = null)
    {
        if (span is null) return;
        if (instanceId is not null) span.SetTag(InstanceIdTag, instanceId);
        if (roomId is not null) span.SetTag(RoomIdTag, roomId);
        if (recordingId is not null) span.SetTag(RecordingIdTag, recordingId);
    }

    /// <summary>100ms's event types are a short, known list; anything else (only an authenticated sender gets here) is "other".</summary>
    private static string BoundedEventType(string? type) =>
        type is null ? "none" : EventType().IsMatch(type) ? type : "other";

    [GeneratedRegex("[0-9a-f]{24}")]
    private static partial Regex HmsId();

    [GeneratedRegex("^[a-z][a-z0-9_.]{0,63}$")]
    private static partial Regex EventType();
}
