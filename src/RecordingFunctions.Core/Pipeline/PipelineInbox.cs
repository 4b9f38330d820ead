using RecordingFunctions.Hms;

namespace RecordingFunctions.Pipeline;

/// <summary>How a 100ms event relates to a pipeline's own recording.</summary>
public enum EventAttribution
{
    /// <summary>Seen before: a retry, a duplicate, or a replay of an event already taken.</summary>
    Repeat,
    /// <summary>Another job's: an RTMP stream, an earlier or later recording of the room or session, another room.</summary>
    Foreign,
    /// <summary>Certainly this recording's: it names the recording, or a job id this recording's own events carry.</summary>
    Ours,
    /// <summary>
    /// A <c>beam.*</c> event of this room and session that names no job this pipeline knows: it may be this recording's
    /// or another recording's of the same session. 100ms must be asked before acting on it.
    /// </summary>
    Unsure,
}

/// <summary>
/// The one place that decides which 100ms events belong to a pipeline's recording, and lets each count once.
/// 100ms shares <c>beam.*</c> events between recordings and RTMP streams, keeps a session across consecutive
/// recordings, and replays old deliveries with new envelope ids (hms-api.md §11). What identifies the recording:
/// the start answer's id, the <c>job_id</c>/<c>beam_id</c> that events naming that id carry, and
/// <c>recording_enabled</c>. Deterministic and free of I/O: the orchestrator rebuilds it by replaying its history.
/// </summary>
public sealed class PipelineInbox(string roomId)
{
    // 100ms's and our clocks may differ a little: an event stamped up to this long before the start may still be ours.
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(1);

    private readonly HashSet<string> seenIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> seenContent = new(StringComparer.Ordinal);
    private readonly HashSet<string> ownJobs = new(StringComparer.Ordinal);
    private readonly HashSet<string> foreignJobs = new(StringComparer.Ordinal);
    private string? recordingId;
    private string? sessionId;
    private DateTimeOffset? startedAt;

    /// <summary>100ms accepted the start: from now on events can be this recording's.</summary>
    public void RecordingStarted(string recording, string? session, DateTimeOffset requestedAt)
    {
        recordingId = recording;
        sessionId = session;
        startedAt = requestedAt;
        ownJobs.Add(recording);
    }

    public EventAttribution Attribute(PipelineEvent e)
    {
        // Retries share the envelope id; replays get a new one but repeat the content.
        var content = ContentKey(e);
        if (!seenIds.Add(e.Id) | !seenContent.Add(content)) return EventAttribution.Repeat;
        if (recordingId is null || e.RoomId != roomId) return EventAttribution.Foreign;

        var jobs = new[] { e.JobId, e.BeamId }.OfType<string>().ToList();
        if (e.RecordingId is not null)
        {
            var ours = e.RecordingId == recordingId;
            foreach (var job in jobs) (ours ? ownJobs : foreignJobs).Add(job);
            return ours ? EventAttribution.Ours : EventAttribution.Foreign;
        }
        if (jobs.Any(ownJobs.Contains))
        {
            foreach (var job in jobs) ownJobs.Add(job);
            return EventAttribution.Ours;
        }
        if (jobs.Any(foreignJobs.Contains)) return EventAttribution.Foreign;
        if (e.RecordingEnabled == false || e.StreamsRtmp) return Remember(jobs);
        if (e.SessionId is not null && sessionId is not null && e.SessionId != sessionId) return Remember(jobs);
        if (e.At is { } at && startedAt is { } start && at < start - ClockTolerance) return Remember(jobs);
        // Transcription events always name their recording: one that doesn't cannot be placed.
        return e.Type.StartsWith("beam.", StringComparison.Ordinal) ? EventAttribution.Unsure : EventAttribution.Foreign;
    }

    /// <summary>100ms said this recording was unaffected by an <see cref="EventAttribution.Unsure"/> event: its jobs are others'.</summary>
    public void NotOurs(PipelineEvent e)
    {
        foreach (var job in new[] { e.JobId, e.BeamId }.OfType<string>()) foreignJobs.Add(job);
    }

    private EventAttribution Remember(List<string> foreign)
    {
        foreach (var job in foreign) foreignJobs.Add(job);
        return EventAttribution.Foreign;
    }

    private static string ContentKey(PipelineEvent e) =>
        string.Join('|', e.Type, e.RoomId, e.SessionId, e.RecordingId, e.JobId, e.BeamId, e.At?.UtcTicks, e.Reason, e.ErrorType);

    /// <summary>Whether the event ends or fails a recording: the only <c>beam.*</c> events worth asking 100ms about.</summary>
    public static bool EndsRecording(PipelineEvent e) =>
        e.Type is HmsWebhookEventTypes.BeamStoppedSuccess or HmsWebhookEventTypes.BeamFailure or HmsWebhookEventTypes.BeamRecordingSuccess;
}
