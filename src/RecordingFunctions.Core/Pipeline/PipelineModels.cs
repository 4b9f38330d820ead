using System.Text.Json.Serialization;
using RecordingFunctions.Hms;
using RecordingFunctions.Storage;

namespace RecordingFunctions.Pipeline;

// Everything here travels through Durable history, which is stored in plain tables: no secrets, ever.

/// <summary>The orchestration's input: what to record, when, and the timings it runs with.</summary>
/// <param name="Schedule">Null records at once, until 100ms stops the recording.</param>
/// <param name="Calendar">Set when a calendar feed scheduled this pipeline.</param>
/// <param name="Archive">Set for an archive pipeline: it follows a recording that has already ended and starts nothing.</param>
public sealed record PipelineInput(
    [property: JsonPropertyName("room_id")] string RoomId,
    [property: JsonPropertyName("request")] StartRecordingRequest Request,
    [property: JsonPropertyName("options")] PipelineOptions Options,
    [property: JsonPropertyName("schedule")] RecordingSchedule? Schedule = null,
    [property: JsonPropertyName("calendar")] CalendarSource? Calendar = null,
    [property: JsonPropertyName("archive")] ArchiveSource? Archive = null)
{
    /// <summary>How the pipeline began: <c>api</c>, <c>calendar</c>, <c>webhook</c> or <c>sweep</c>.</summary>
    [JsonIgnore] public string Origin => Archive?.Origin ?? (Calendar is null ? PipelineOrigins.Api : PipelineOrigins.Calendar);
}

/// <summary>The calendar event occurrence a pipeline records.</summary>
public sealed record CalendarSource(
    [property: JsonPropertyName("feed")] string Feed,
    [property: JsonPropertyName("event_uid")] string EventUid,
    [property: JsonPropertyName("occurrence")] string OccurrenceKey,
    [property: JsonPropertyName("title")] string? Title);

/// <summary>
/// What people and calendars ask of a running pipeline, raised into it as the <see cref="Name"/> event:
/// stop the recording now, cancel before it starts, or move its start and stop times.
/// </summary>
public sealed record PipelineCommand
{
    public const string Name = "pipeline_command";
    public const string Stop = "stop";
    public const string Cancel = "cancel";
    public const string Reschedule = "reschedule";

    /// <summary>Who asked: <see cref="ByApi"/> or <see cref="ByCalendar"/>.</summary>
    public const string ByApi = "api";
    public const string ByCalendar = "calendar";

    [JsonPropertyName("action")] public required string Action { get; init; }
    [JsonPropertyName("by")] public string? By { get; init; }
    /// <summary>The new times, for <see cref="Reschedule"/>.</summary>
    [JsonPropertyName("schedule")] public RecordingSchedule? Schedule { get; init; }
    [JsonPropertyName("reason")] public string? Reason { get; init; }
}

/// <summary>A 100ms webhook event as the pipeline needs it, raised into the orchestration by the webhook receiver.</summary>
public sealed record PipelineEvent
{
    public const string Name = "hms_event";

    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("room_id")] public string? RoomId { get; init; }
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("recording_id")] public string? RecordingId { get; init; }
    /// <summary>The 100ms job behind a <c>beam.*</c> event: a recording's or an RTMP stream's.</summary>
    [JsonPropertyName("job_id")] public string? JobId { get; init; }
    [JsonPropertyName("beam_id")] public string? BeamId { get; init; }
    /// <summary>False for an RTMP stream that records nothing.</summary>
    [JsonPropertyName("recording_enabled")] public bool? RecordingEnabled { get; init; }
    /// <summary>The event names RTMP destinations (their URLs, which hold stream keys, stay out of history).</summary>
    [JsonPropertyName("streams_rtmp")] public bool StreamsRtmp { get; init; }
    /// <summary>A re-delivery through 100ms's replay API, with a new envelope id.</summary>
    [JsonPropertyName("is_replay")] public bool IsReplay { get; init; }
    [JsonPropertyName("duration")] public int? DurationSeconds { get; init; }
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    [JsonPropertyName("error_type")] public string? ErrorType { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    /// <summary>When 100ms says the event happened (the envelope's <c>timestamp</c>).</summary>
    [JsonPropertyName("at")] public DateTimeOffset? At { get; init; }
}

/// <summary>One step of the pipeline's history.</summary>
public sealed record PhaseChange(
    [property: JsonPropertyName("phase")] PipelinePhase Phase,
    [property: JsonPropertyName("at")] DateTimeOffset At);

/// <summary>
/// A pipeline as people see it: its custom status while it runs, and its output when it ends.
/// </summary>
public sealed record PipelineRecord
{
    [JsonPropertyName("phase")] public PipelinePhase Phase { get; init; }
    [JsonPropertyName("room_id")] public required string RoomId { get; init; }
    /// <summary><c>api</c>, <c>calendar</c>, <c>webhook</c> or <c>sweep</c> (see <see cref="PipelineOrigins"/>).</summary>
    [JsonPropertyName("origin")] public string? Origin { get; init; }
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("recording_id")] public string? RecordingId { get; init; }
    [JsonPropertyName("recording_duration")] public int? RecordingDurationSeconds { get; init; }
    [JsonPropertyName("schedule")] public RecordingSchedule? Schedule { get; init; }
    [JsonPropertyName("calendar")] public CalendarSource? Calendar { get; init; }
    /// <summary>For a cancelled pipeline: who cancelled it (<c>api</c> or <c>calendar</c>).</summary>
    [JsonPropertyName("cancelled_by")] public string? CancelledBy { get; init; }
    [JsonPropertyName("phases")] public IReadOnlyList<PhaseChange> Phases { get; init; } = [];
    [JsonPropertyName("blobs")] public IReadOnlyList<string> Blobs { get; init; } = [];
    [JsonPropertyName("error")] public string? Error { get; init; }
    /// <summary>What went less than well without failing the pipeline (a summary that could not be rendered, ...).</summary>
    [JsonPropertyName("warnings")] public IReadOnlyList<string>? Warnings { get; init; }
}

/// <summary>The recording 100ms started (a refusal fails the activity instead).</summary>
public sealed record StartedRecording(
    [property: JsonPropertyName("recording_id")] string RecordingId,
    [property: JsonPropertyName("session_id")] string? SessionId,
    [property: JsonPropertyName("asset_types")] IReadOnlyList<string>? AssetTypes);

/// <summary>A recording and its assets, as 100ms's API reports them now.</summary>
public sealed record RecordingSnapshot(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("session_id")] string? SessionId,
    [property: JsonPropertyName("started_at")] DateTimeOffset? StartedAt,
    [property: JsonPropertyName("stopped_at")] DateTimeOffset? StoppedAt,
    [property: JsonPropertyName("duration")] int? DurationSeconds,
    [property: JsonPropertyName("assets")] IReadOnlyList<RecordingAsset> Assets);

/// <summary>A recording asset this product copies (transcripts and summary) or reports on.</summary>
public sealed record RecordingAsset(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("output_mode")] string? OutputMode,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("size")] long? Size);

public sealed record CopyAssetInput(
    [property: JsonPropertyName("room_id")] string RoomId,
    [property: JsonPropertyName("session_id")] string? SessionId,
    [property: JsonPropertyName("recording_id")] string RecordingId,
    [property: JsonPropertyName("asset")] RecordingAsset Asset);

public sealed record RenderSummaryInput(
    [property: JsonPropertyName("room_id")] string RoomId,
    [property: JsonPropertyName("session_id")] string? SessionId,
    [property: JsonPropertyName("recording_id")] string RecordingId);

/// <summary>The <c>manifest.json</c> written last, next to the copied files.</summary>
public sealed record RecordingManifest
{
    [JsonPropertyName("instance_id")] public required string InstanceId { get; init; }
    [JsonPropertyName("room_id")] public required string RoomId { get; init; }
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("recording_id")] public required string RecordingId { get; init; }
    [JsonPropertyName("phase")] public PipelinePhase Phase { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("warnings")] public IReadOnlyList<string>? Warnings { get; init; }
    [JsonPropertyName("recording_duration")] public int? RecordingDurationSeconds { get; init; }
    [JsonPropertyName("phases")] public IReadOnlyList<PhaseChange> Phases { get; init; } = [];
    [JsonPropertyName("files")] public IReadOnlyList<CopiedBlob> Files { get; init; } = [];
}

/// <summary>How a pipeline began, as <c>origin</c> on its record.</summary>
public static class PipelineOrigins
{
    public const string Api = "api";
    public const string Calendar = "calendar";
    /// <summary>An archive pipeline a 100ms webhook started for a recording nobody here followed.</summary>
    public const string Webhook = "webhook";
    /// <summary>An archive pipeline a sweep of 100ms's recordings list started.</summary>
    public const string Sweep = "sweep";
}

/// <summary>
/// In a pipeline's input: the pipeline archives a recording that has already ended, started elsewhere (or whose
/// webhooks were lost). It begins where a recording pipeline would be once the recording ended.
/// </summary>
/// <param name="Trigger">The webhook event that started it, if one did; it counts as received.</param>
public sealed record ArchiveSource(
    [property: JsonPropertyName("origin")] string Origin,
    [property: JsonPropertyName("recording_id")] string RecordingId,
    [property: JsonPropertyName("session_id")] string? SessionId,
    [property: JsonPropertyName("trigger")] PipelineEvent? Trigger = null);
