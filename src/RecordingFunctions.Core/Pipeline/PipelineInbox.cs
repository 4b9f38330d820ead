using Microsoft.DurableTask;
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
/// <c>recording_enabled</c>. It also holds the orchestration's waits for events and commands, with one durable
/// timer per deadline. Deterministic and free of I/O: the orchestrator rebuilds it by replaying its history.
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
    // One waiter per inbox for the whole run: a waiter abandoned at a timeout would swallow the next event.
    private Task<PipelineEvent>? nextHmsEvent;
    private Task<PipelineCommand>? nextCommand;
    private DurableTimer? waitTimer;

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

    /// <summary>
    /// The next 100ms event meant for this recording (or, when <paramref name="acceptCommands"/>, the next command),
    /// or null at the deadline. 100ms retries and our own re-deliveries arrive more than once: each event id counts once.
    /// </summary>
    public async Task<Incoming?> NextAsync(TaskOrchestrationContext context, DateTime deadline, bool acceptCommands = false)
    {
        while (context.CurrentUtcDateTime < deadline)
        {
            var timer = TimerUntil(context, deadline);
            nextHmsEvent ??= context.WaitForExternalEvent<PipelineEvent>(PipelineEvent.Name);
            if (acceptCommands) nextCommand ??= context.WaitForExternalEvent<PipelineCommand>(PipelineCommand.Name);
            var first = await Task.WhenAny(acceptCommands ? [nextHmsEvent, nextCommand!, timer] : [nextHmsEvent, timer]);
            if (first == timer) return null;

            if (first == nextCommand)
            {
                var command = await nextCommand;
                nextCommand = null;
                return new Incoming(null, command);
            }
            var hmsEvent = await nextHmsEvent;
            nextHmsEvent = null;
            switch (Attribute(hmsEvent))
            {
                case EventAttribution.Ours:
                    return new Incoming(hmsEvent, null);
                case EventAttribution.Unsure when EndsRecording(hmsEvent):
                    return new Incoming(hmsEvent, null, Unsure: true);
            }
        }
        return null;
    }

    /// <param name="Unsure">The event may be another recording's of the same session: ask 100ms before acting on it.</param>
    public sealed record Incoming(PipelineEvent? Event, PipelineCommand? Command, bool Unsure = false);

    /// <summary>
    /// One durable timer per deadline, shared by every wait until it: a timer is a queue message and history rows,
    /// and a pipeline waiting in <c>recording</c> may see many events before its deadline.
    /// </summary>
    private Task TimerUntil(TaskOrchestrationContext context, DateTime deadline)
    {
        if (waitTimer is { Fired.IsCompleted: false } current && current.FireAt == deadline) return current.Fired;
        waitTimer?.Cancellation.Cancel();
        var cancellation = new CancellationTokenSource();
        waitTimer = new DurableTimer(deadline, context.CreateTimer(deadline, cancellation.Token), cancellation);
        return waitTimer.Fired;
    }

    private sealed record DurableTimer(DateTime FireAt, Task Fired, CancellationTokenSource Cancellation);

    /// <summary>The pipeline ends: its pending timer is cancelled, or the orchestration would stay running until it fired.</summary>
    public void StopWaiting() => waitTimer?.Cancellation.Cancel();
}
