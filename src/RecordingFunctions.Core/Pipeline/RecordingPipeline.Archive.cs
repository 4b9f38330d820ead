using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using RecordingFunctions.Hms;

namespace RecordingFunctions.Pipeline;

/// <summary>
/// The archive entry: a recording started elsewhere (or whose pipeline's webhooks were lost) has ended, and this
/// pipeline takes it from there, through the same transcription wait, polling fallback, copies and manifest.
/// It never starts or stops a recording.
/// </summary>
public sealed partial class RecordingPipeline
{
    private async Task<PipelineRecord> ArchiveAsync(ArchiveSource archive)
    {
        record = record with { RecordingId = archive.RecordingId, SessionId = archive.SessionId };
        inbox.RecordingStarted(archive.RecordingId, archive.SessionId, Now);
        var transcription = TranscriptionEvents.None;
        if (archive.Trigger is { } trigger)
        {
            // Taken now: its retries and replays, raised to this pipeline too, count as repeats.
            inbox.Attribute(trigger);
            record = record with { RecordingDurationSeconds = trigger.DurationSeconds };
            transcription = transcription.With(trigger);
        }
        Enter(PipelinePhase.Processing);
        logger.LogInformation("Pipeline {InstanceId} archives recording {RecordingId} of room {RoomId} ({Origin})",
            context.InstanceId, archive.RecordingId, input.RoomId, archive.Origin);

        var (snapshot, gone) = await ReadRecordingAsync();
        var polls = 0;
        while (snapshot is not null && snapshot.Status is not (HmsRecordingStatus.Completed or HmsRecordingStatus.Failed)
               && transcription.Outcome is null)
        {
            // Still being composed: wait for it without ever stopping it (it is not ours to stop).
            if (++polls > options.MaxPolls)
                return await FinishAsync(PipelinePhase.Failed, [], $"the recording did not finish: 100ms still reports it {snapshot.Status}");
            if ((await NextAsync(After(options.PollInterval)))?.Event is { } next) transcription = transcription.With(next);
            (snapshot, gone) = await ReadRecordingAsync();
        }
        if (snapshot is null) return await FinishAsync(gone ? PipelinePhase.Expired : PipelinePhase.Failed, [], record.Error);
        if (snapshot.Status == HmsRecordingStatus.Failed) return await FinishAsync(PipelinePhase.Failed, [], "100ms reports the recording failed");
        record = record with
        {
            SessionId = record.SessionId ?? snapshot.SessionId,
            RecordingDurationSeconds = snapshot.DurationSeconds ?? record.RecordingDurationSeconds,
        };

        Enter(PipelinePhase.Transcribing);
        var files = snapshot.Assets.Where(IsTranscriptOrSummary).ToList();
        PipelinePhase finalPhase;
        string? error = null;
        if (files.Count > 0 && files.All(a => a.Status == HmsAssetStatus.Completed))
        {
            finalPhase = PipelinePhase.Completed;
        }
        else if (files.Count > 0 || transcription.Started)
        {
            (finalPhase, error) = await WaitForTranscriptionAsync(transcription);
        }
        else
        {
            // 100ms may list the transcript assets only once transcription begins: give it the transcription wait.
            var started = await WaitForAnyTranscriptionEventAsync();
            if (started is null) return await FinishAsync(PipelinePhase.Completed, [], null, "the recording has no transcript or summary to archive");
            (finalPhase, error) = await WaitForTranscriptionAsync(started);
        }

        Enter(PipelinePhase.Copying);
        var copies = await CopyTranscriptsAsync();
        return await FinishAsync(copies.Ending(finalPhase), copies.Blobs, error ?? copies.Error);
    }

    /// <summary>The recording as 100ms reports it; null with the error recorded when it cannot be read.</summary>
    private async Task<(RecordingSnapshot? Snapshot, bool Gone)> ReadRecordingAsync()
    {
        try
        {
            return (await context.CallActivityAsync<RecordingSnapshot>(PipelineNames.GetRecording, record.RecordingId, retry), false);
        }
        catch (TaskFailedException failure)
        {
            record = record with { Error = failure.FailureDetails.ErrorMessage };
            return (null, failure.FailureDetails.ErrorType == typeof(GoneFromHmsException).FullName);
        }
    }

    /// <summary>
    /// The first transcription event, or no event when 100ms lists transcript assets after the transcription wait;
    /// null when neither came.
    /// </summary>
    private async Task<TranscriptionEvents?> WaitForAnyTranscriptionEventAsync()
    {
        var deadline = After(options.TranscriptionTimeout(TimeSpan.FromSeconds(record.RecordingDurationSeconds ?? 0)));
        while ((await NextAsync(deadline))?.Event is { } next)
        {
            if (TranscriptionEvents.Includes(next.Type)) return TranscriptionEvents.None.With(next);
        }
        var (snapshot, _) = await ReadRecordingAsync();
        return snapshot?.Assets.Any(IsTranscriptOrSummary) == true ? TranscriptionEvents.None : null;
    }
}
