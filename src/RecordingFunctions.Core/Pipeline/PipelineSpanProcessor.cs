using System.Diagnostics;
using OpenTelemetry;
using RecordingFunctions.Telemetry;

namespace RecordingFunctions.Pipeline;

/// <summary>
/// Gives every span the pipeline ids of the span it runs in (HTTP client and Blob spans know none of their own), takes
/// the instance id from Durable's spans, and cuts query strings off every URL before any exporter sees it: a presigned
/// URL's query is its signature.
/// </summary>
public sealed class PipelineSpanProcessor : BaseProcessor<Activity>
{
    private static readonly string[] InheritedTags =
        [RecordingFunctionsTelemetry.InstanceIdTag, RecordingFunctionsTelemetry.RoomIdTag, RecordingFunctionsTelemetry.RecordingIdTag];

    private static readonly string[] UrlTags = ["url.full", "http.url", "az.blob.url"];

    public override void OnStart(Activity span)
    {
        foreach (var tag in InheritedTags)
        {
            if (span.GetTagItem(tag) is not null) continue;
            for (var parent = span.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent.GetTagItem(tag) is { } value)
                {
                    span.SetTag(tag, value);
                    break;
                }
            }
        }
    }

    public override void OnEnd(Activity span)
    {
        if (span.GetTagItem(RecordingFunctionsTelemetry.InstanceIdTag) is null
            && span.GetTagItem(RecordingFunctionsTelemetry.DurableInstanceIdTag) is string instanceId)
        {
            span.SetTag(RecordingFunctionsTelemetry.InstanceIdTag, instanceId);
        }
        if (span.GetTagItem(RecordingFunctionsTelemetry.RoomIdTag) is null
            && PipelineInstanceIds.RoomOf(span.GetTagItem(RecordingFunctionsTelemetry.InstanceIdTag) as string) is { } roomId)
        {
            span.SetTag(RecordingFunctionsTelemetry.RoomIdTag, roomId);
        }
        foreach (var tag in UrlTags)
        {
            if (span.GetTagItem(tag) is string url && url.IndexOf('?') is var query and >= 0) span.SetTag(tag, url[..query]);
        }
        if (span.GetTagItem("url.query") is not null) span.SetTag("url.query", null);
    }
}
