using System.Diagnostics;
using System.Diagnostics.Metrics;
using RecordingFunctions.Hms;
using RecordingFunctions.Pipeline.Activities;
using RecordingFunctions.Telemetry;

namespace RecordingFunctions.Pipeline;

/// <summary>
/// The pipeline's metrics and activity spans, on the app's meter and source (<see cref="RecordingFunctionsTelemetry"/>).
/// Called from the API, the calendar sync and the activities, never from orchestrator code, which replays.
/// </summary>
public static class PipelineTelemetry
{
    private static readonly Counter<long> PipelinesStarted = RecordingFunctionsTelemetry.Meter.CreateCounter<long>(
        "recordingfunctions.pipelines.started", "{pipeline}", "Pipelines started, by origin (api, calendar).");
    private static readonly Counter<long> PipelinesEnded = RecordingFunctionsTelemetry.Meter.CreateCounter<long>(
        "recordingfunctions.pipelines.ended", "{pipeline}", "Pipelines ended, by final phase and origin.");
    private static readonly Histogram<double> PhaseDuration = RecordingFunctionsTelemetry.Meter.CreateHistogram<double>(
        "recordingfunctions.pipeline.phase.duration", "s", "Time a pipeline spent in each phase it left, recorded when it ends.");
    private static readonly Histogram<long> CopySize = RecordingFunctionsTelemetry.Meter.CreateHistogram<long>(
        "recordingfunctions.asset_copy.size", "By", "Bytes per transcript or summary copied into Blob Storage.");
    private static readonly Histogram<double> CopyDuration = RecordingFunctionsTelemetry.Meter.CreateHistogram<double>(
        "recordingfunctions.asset_copy.duration", "s", "Seconds per copy, download and upload together.");

    /// <summary>A new pipeline was scheduled (the API or a calendar feed); tags the current span with its ids.</summary>
    public static void PipelineStarted(string instanceId, PipelineInput input)
    {
        RecordingFunctionsTelemetry.TagPipeline(Activity.Current, instanceId, input.RoomId);
        PipelinesStarted.Add(1, new KeyValuePair<string, object?>("origin", input.Origin));
    }

    /// <summary>A pipeline ended: counts it by final phase and records how long it stayed in each phase.</summary>
    public static void PipelineEnded(PipelineOutcome outcome)
    {
        RecordingFunctionsTelemetry.TagPipeline(Activity.Current, outcome.InstanceId, outcome.RoomId, outcome.RecordingId);
        var phase = outcome.Phase.ToWireName();
        PipelinesEnded.Add(1, new("phase", phase), new("origin", outcome.Origin));
        for (var i = 0; i + 1 < outcome.Phases.Count; i++)
        {
            var seconds = (outcome.Phases[i + 1].At - outcome.Phases[i].At).TotalSeconds;
            PhaseDuration.Record(Math.Max(0, seconds), new("phase", outcome.Phases[i].Phase.ToWireName()), new("origin", outcome.Origin));
        }
    }

    public static void AssetCopied(string file, long bytes, TimeSpan elapsed)
    {
        CopySize.Record(bytes, new KeyValuePair<string, object?>("file", file));
        CopyDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("file", file));
    }

    /// <summary>Starts the span of one activity run, taking the room and recording ids from its input.</summary>
    public static Activity? StartActivityRun(string activityName, string? instanceId, object? input)
    {
        var (roomId, recordingId) = input switch
        {
            StartRecordingInput start => (start.RoomId, null),
            CopyAssetInput copy => (copy.RoomId, copy.RecordingId),
            RenderSummaryInput render => (render.RoomId, render.RecordingId),
            RecordingManifest manifest => (manifest.RoomId, manifest.RecordingId),
            PipelineOutcome outcome => (outcome.RoomId, outcome.RecordingId),
            string id when HmsLimits.IsHmsId(id) => (null, id),
            _ => ((string?)null, (string?)null),
        };
        roomId ??= PipelineInstanceIds.RoomOf(instanceId);
        // The span the host opened for the activity (Durable's, the Functions invocation) gets the ids as well.
        RecordingFunctionsTelemetry.TagPipeline(Activity.Current, instanceId, roomId, recordingId);
        return RecordingFunctionsTelemetry.StartSpan(activityName, instanceId, roomId, recordingId);
    }
}
