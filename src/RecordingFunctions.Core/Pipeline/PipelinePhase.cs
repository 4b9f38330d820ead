using System.Text.Json.Serialization;

namespace RecordingFunctions.Pipeline;

/// <summary>Where a recording pipeline is. Serialized in snake_case (<c>transcription_timed_out</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PipelinePhase>))]
public enum PipelinePhase
{
    /// <summary>Waiting for the scheduled start time; nothing has been sent to 100ms yet.</summary>
    [JsonStringEnumMemberName("scheduled")] Scheduled,
    /// <summary>Asking 100ms to start the recording.</summary>
    [JsonStringEnumMemberName("starting")] Starting,
    /// <summary>100ms accepted the start; the recording runs.</summary>
    [JsonStringEnumMemberName("recording")] Recording,
    /// <summary>The stop time came or someone asked to stop: 100ms has been asked to stop the recording.</summary>
    [JsonStringEnumMemberName("stopping")] Stopping,
    /// <summary>The recording stopped; 100ms is composing and uploading it.</summary>
    [JsonStringEnumMemberName("processing")] Processing,
    /// <summary>The recording is complete; 100ms is transcribing and summarising it.</summary>
    [JsonStringEnumMemberName("transcribing")] Transcribing,
    /// <summary>Copying the transcripts and summary into Blob Storage.</summary>
    [JsonStringEnumMemberName("copying")] Copying,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("failed")] Failed,
    /// <summary>Cancelled before it started: nothing was sent to 100ms.</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    /// <summary>Neither webhooks nor polling saw the transcription finish in time; whatever was ready was copied.</summary>
    [JsonStringEnumMemberName("transcription_timed_out")] TranscriptionTimedOut,
    /// <summary>100ms no longer has the recording's files (past its retention): nothing more can be copied.</summary>
    [JsonStringEnumMemberName("expired")] Expired,
}

public static class PipelinePhases
{
    public static bool IsFinal(this PipelinePhase phase) =>
        phase is PipelinePhase.Completed or PipelinePhase.Failed or PipelinePhase.TranscriptionTimedOut or PipelinePhase.Cancelled
            or PipelinePhase.Expired;

    /// <summary>While a pipeline is in these phases, 100ms has (or is about to have) an active recording in its room.</summary>
    public static bool HoldsRoom(this PipelinePhase phase) =>
        phase is PipelinePhase.Starting or PipelinePhase.Recording or PipelinePhase.Stopping;

    public static string ToWireName(this PipelinePhase phase) =>
        System.Text.Json.JsonSerializer.Serialize(phase).Trim('"');
}
