using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using RecordingFunctions.Hms;
using RecordingFunctions.Pipeline.Activities;
using RecordingFunctions.Storage;

namespace RecordingFunctions.Pipeline;

/// <summary>
/// The orchestration behind one recording: start it, wait for it to end, wait for its transcription,
/// copy the transcripts and summary to Blob Storage. It only decides and waits; every side effect is an activity.
/// </summary>
public sealed partial class RecordingPipeline
{
    private readonly TaskOrchestrationContext context;
    private readonly PipelineInput input;
    private readonly PipelineOptions options;
    private readonly TaskOptions retry;
    private readonly ILogger logger;
    private readonly PipelineInbox inbox;
    private readonly List<string> warnings = [];
    private PipelineRecord record;
    private int stopRequests;
    // Post-processing: when it began, and how long to wait before asking 100ms next (doubling up to MaxAskInterval).
    private DateTime? processingSince;
    private TimeSpan nextAskAfter;
    private RecordingSchedule? schedule;
    private DateTimeOffset recordingStartedAt;
    private DateTimeOffset? stopAt;

    private RecordingPipeline(TaskOrchestrationContext context, PipelineInput input)
    {
        this.context = context;
        this.input = input;
        options = input.Options;
        retry = TaskOptions.FromRetryPolicy(RetryPolicyFor(options));
        logger = context.CreateReplaySafeLogger<RecordingPipeline>();
        schedule = input.Schedule;
        inbox = new PipelineInbox(input.RoomId);
        nextAskAfter = options.RecordingEndMargin;
        record = new PipelineRecord { RoomId = input.RoomId, Origin = input.Origin, Schedule = schedule, Calendar = input.Calendar };
    }

    public static Task<PipelineRecord> RunAsync(TaskOrchestrationContext context, PipelineInput input) =>
        new RecordingPipeline(context, input).RunAsync();

    /// <summary>Transient failures are retried with exponential backoff; permanent ones end the step at once.</summary>
    public static RetryPolicy RetryPolicyFor(PipelineOptions options) =>
        new(options.RetryAttempts, options.RetryFirstInterval, backoffCoefficient: 2, options.RetryMaxInterval)
        {
            // By name: IsCausedBy<T> throws AmbiguousMatchException for types that facade assemblies forward
            // (HttpRequestException), which would stop every retry of such failures.
            HandleFailure = failure => failure.ErrorType != typeof(PermanentFailureException).FullName
                && failure.ErrorType != typeof(GoneFromHmsException).FullName,
        };

    /// <summary>Gives up on a recording: 100ms refused a call the pipeline cannot do without.</summary>
    private sealed class PipelineHalt(string error) : Exception(error);

    private const int MaxStopRequests = 3;
    private static readonly TimeSpan MaxAskInterval = TimeSpan.FromHours(1);

    private async Task<PipelineRecord> RunAsync()
    {
        // Every way out ends in a final phase with a manifest: the orchestration itself never fails.
        try
        {
            return await RunStepsAsync();
        }
        catch (PipelineHalt halt)
        {
            return await FinishAsync(PipelinePhase.Failed, [], halt.Message);
        }
        catch (TaskFailedException failure)
        {
            return await FinishAsync(PipelinePhase.Failed, [], $"{failure.TaskName} failed: {failure.FailureDetails.ErrorMessage}");
        }
    }

    private async Task<PipelineRecord> RunStepsAsync()
    {
        if (input.Archive is { } archive) return await ArchiveAsync(archive);

        if (schedule?.StartAt is not null)
        {
            Enter(PipelinePhase.Scheduled);
            var cancel = await WaitForStartTimeAsync();
            if (cancel is not null)
            {
                record = record with { CancelledBy = cancel.By };
                return await FinishAsync(PipelinePhase.Cancelled, [], null, cancel.Reason ?? "cancelled");
            }
        }

        Enter(PipelinePhase.Starting);
        var requestedAt = Now;
        StartedRecording started;
        try
        {
            started = await context.CallActivityAsync<StartedRecording>(
                PipelineNames.StartRecording, new StartRecordingInput(input.RoomId, input.Request, NotBefore: requestedAt), retry);
        }
        catch (TaskFailedException failure)
        {
            return await FinishAsync(PipelinePhase.Failed, [], $"100ms did not start the recording: {failure.FailureDetails.ErrorMessage}");
        }

        recordingStartedAt = Now;
        stopAt = schedule?.StopTimeFor(recordingStartedAt);
        record = record with
        {
            RecordingId = started.RecordingId,
            SessionId = started.SessionId,
            Schedule = stopAt is null ? schedule : (schedule ?? new()) with { StopAt = stopAt },
        };
        inbox.RecordingStarted(started.RecordingId, started.SessionId, requestedAt);
        var transcriptionAsked = started.AssetTypes?.Contains(HmsAssetTypes.Transcript) == true
            || input.Request.Transcription?.Enabled == true;
        Enter(PipelinePhase.Recording);
        logger.LogInformation("Pipeline {InstanceId} started recording {RecordingId} in room {RoomId}",
            context.InstanceId, started.RecordingId, input.RoomId);

        var ended = await WaitForRecordingToEndAsync();
        if (ended.Error is not null)
            return await FinishAsync(PipelinePhase.Failed, [], ended.Error);
        if (ended.NothingRecorded)
        {
            warnings.Add("100ms stopped the recording before it began (BEAM_STOPPED): nothing was recorded");
            return await FinishAsync(PipelinePhase.Completed, [], null);
        }
        var transcription = await WatchForTranscriptionAsync(transcriptionAsked, ended.Transcription);
        if (transcription is null)
            return await FinishAsync(PipelinePhase.Completed, [], null);

        Enter(PipelinePhase.Transcribing);
        var (finalPhase, error) = await WaitForTranscriptionAsync(transcription);

        Enter(PipelinePhase.Copying);
        var copies = await CopyTranscriptsAsync();
        return await FinishAsync(copies.Ending(finalPhase), copies.Blobs, error ?? copies.Error);
    }

    /// <summary>Waits until the start time, following reschedules; returns the cancel command when it came first.</summary>
    private async Task<PipelineCommand?> WaitForStartTimeAsync()
    {
        while (schedule?.StartAt is { } startAt && startAt > Now)
        {
            var next = await NextAsync(startAt.UtcDateTime, acceptCommands: true);
            switch (next?.Command)
            {
                case { Action: PipelineCommand.Cancel } cancel:
                    return cancel;
                case { Action: PipelineCommand.Reschedule, Schedule: { } moved }:
                    schedule = moved;
                    record = record with { Schedule = moved };
                    context.SetCustomStatus(record);
                    logger.LogInformation("Pipeline {InstanceId} rescheduled to {StartAt}", context.InstanceId, moved.StartAt);
                    break;
            }
            // 100ms events before the recording exists are another recording's: they are dropped.
        }
        return null;
    }

    /// <summary>How the recording ended, and what the transcription webhooks said if they overtook its end.</summary>
    private sealed record RecordingEnd(string? Error = null, bool NothingRecorded = false, TranscriptionEvents? Transcription = null);

    /// <summary>Waits for 100ms to report the recording done, stopping it when due.</summary>
    private async Task<RecordingEnd> WaitForRecordingToEndAsync()
    {
        var deadline = After(options.MaxRecordingDuration + options.RecordingEndMargin);
        var stopping = false;
        while (true)
        {
            var stopDue = !stopping && stopAt is { } due && due.UtcDateTime < deadline;
            var incoming = await NextAsync(stopDue ? stopAt!.Value.UtcDateTime : deadline, acceptCommands: !stopping);
            if (incoming?.Command is { } command)
            {
                if (command.Action == PipelineCommand.Reschedule)
                {
                    // Only the stop time can move once the recording runs.
                    stopAt = command.Schedule?.StopTimeFor(recordingStartedAt) ?? stopAt;
                    record = record with { Schedule = (record.Schedule ?? new()) with { StopAt = stopAt } };
                    context.SetCustomStatus(record);
                    continue;
                }
                // A cancel that raced the start arrives here: the recording is stopped at once.
                await StopAsync(command.Reason ?? $"{command.Action} requested");
                stopping = true;
                deadline = NextAsk();
                continue;
            }
            if (incoming is null && stopDue)
            {
                await StopAsync("the scheduled stop time came");
                stopping = true;
                deadline = NextAsk();
                continue;
            }

            var next = incoming?.Event;
            if (next is null)
            {
                // No webhook in time: ask 100ms rather than wait blind.
                var snapshot = await GetRecordingAsync();
                if (snapshot.Status is HmsRecordingStatus.Completed or HmsRecordingStatus.Failed) return Ended(snapshot, null, stopping);
                if (snapshot.Status is HmsRecordingStatus.Starting or HmsRecordingStatus.Running)
                {
                    if (stopRequests >= MaxStopRequests)
                        return new($"the recording did not finish: 100ms still reports it {snapshot.Status} after {stopRequests} stop requests");
                    // Past its maximum duration: stop it, then process what was recorded.
                    await StopAsync("it ran past its maximum duration");
                    stopping = true;
                }
                Enter(PipelinePhase.Processing);
                processingSince ??= context.CurrentUtcDateTime;
                if (context.CurrentUtcDateTime >= ProcessingGivesUpAt)
                    return new($"the recording did not finish: 100ms still reports it {snapshot.Status} after {options.PostProcessingBudget} of post-processing");
                deadline = NextAsk();
                continue;
            }

            if (incoming!.Unsure)
            {
                // A stop or failure of some job in our session that names no job we know: 100ms says whether it was ours.
                var snapshot = await GetRecordingAsync();
                if (snapshot.Status is HmsRecordingStatus.Starting or HmsRecordingStatus.Running)
                {
                    inbox.NotOurs(next);
                    logger.LogInformation("Pipeline {InstanceId}: {EventType} {EventId} was another job's; recording {RecordingId} still runs",
                        context.InstanceId, next.Type, next.Id, record.RecordingId);
                    continue;
                }
                if (snapshot.Status is HmsRecordingStatus.Completed or HmsRecordingStatus.Failed) return Ended(snapshot, next, stopping);
                stopping = true;
                Enter(PipelinePhase.Processing);
                processingSince ??= context.CurrentUtcDateTime;
                deadline = NextAsk();
                continue;
            }

            switch (next.Type)
            {
                case HmsWebhookEventTypes.BeamStoppedSuccess:
                    record = record with { RecordingDurationSeconds = next.DurationSeconds ?? record.RecordingDurationSeconds };
                    stopping = true;
                    Enter(PipelinePhase.Processing);
                    processingSince ??= context.CurrentUtcDateTime;
                    deadline = NextAsk();
                    break;
                case HmsWebhookEventTypes.BeamRecordingSuccess:
                    record = record with { RecordingDurationSeconds = next.DurationSeconds ?? record.RecordingDurationSeconds };
                    return new();
                case HmsWebhookEventTypes.BeamFailure when stopping && next.ErrorType == BeamStopped:
                    // Stopped while 100ms was still starting it: nothing to process.
                    return new(NothingRecorded: true);
                case HmsWebhookEventTypes.BeamFailure:
                    return new($"100ms reported beam.failure: {next.Error ?? "no reason given"}");
                case var type when TranscriptionEvents.Includes(type):
                    // Delivered out of order: transcription only begins once the recording completed.
                    record = record with { RecordingDurationSeconds = record.RecordingDurationSeconds ?? next.DurationSeconds };
                    return new(Transcription: TranscriptionEvents.None.With(next));
            }
        }
    }

    /// <summary>100ms's error type for a recording stopped before it started.</summary>
    private const string BeamStopped = "BEAM_STOPPED";

    /// <summary>What a completed or failed recording means for the pipeline.</summary>
    private RecordingEnd Ended(RecordingSnapshot snapshot, PipelineEvent? because, bool stopping)
    {
        if (snapshot.Status == HmsRecordingStatus.Completed)
        {
            record = record with { RecordingDurationSeconds = snapshot.DurationSeconds ?? record.RecordingDurationSeconds };
            return new();
        }
        if (stopping && snapshot.StartedAt is null) return new(NothingRecorded: true);
        return new("100ms reports the recording failed" + (because?.Error is { } error ? $": {error}" : ""));
    }

    /// <summary>The next time to ask 100ms about a stopped recording: the gaps double, and stop at the budget's end.</summary>
    private DateTime NextAsk()
    {
        processingSince ??= context.CurrentUtcDateTime;
        var next = After(nextAskAfter);
        nextAskAfter = nextAskAfter * 2 < MaxAskInterval ? nextAskAfter * 2 : MaxAskInterval;
        return next < ProcessingGivesUpAt ? next : ProcessingGivesUpAt;
    }

    private DateTime ProcessingGivesUpAt => (processingSince ?? context.CurrentUtcDateTime) + options.Scaled(options.PostProcessingBudget);

    /// <summary>
    /// Whether transcripts will come, with the transcription webhooks seen so far; null when none will. The start request
    /// and <c>asset_types</c> may not say so when the room's template turns transcription on (hms-api.md §11.4): without
    /// an explicit "no", the recording's assets and, for a while, the transcription webhooks decide.
    /// </summary>
    private async Task<TranscriptionEvents?> WatchForTranscriptionAsync(bool asked, TranscriptionEvents? seen)
    {
        seen ??= TranscriptionEvents.None;
        if (asked || seen.Started) return seen;
        if (input.Request.Transcription?.Enabled == false) return null;
        if ((await GetRecordingAsync()).Assets.Any(IsTranscriptOrSummary)) return seen;
        var deadline = After(options.TranscriptionStartWait);
        while ((await NextAsync(deadline))?.Event is { } next)
        {
            if (TranscriptionEvents.Includes(next.Type)) return seen.With(next);
        }
        return (await GetRecordingAsync()).Assets.Any(IsTranscriptOrSummary) ? seen : null;
    }

    /// <summary>Waits for the transcription webhooks, then polls 100ms; returns the phase to end in.</summary>
    private async Task<(PipelinePhase Phase, string? Error)> WaitForTranscriptionAsync(TranscriptionEvents seen)
    {
        var duration = TimeSpan.FromSeconds(record.RecordingDurationSeconds ?? 0);
        var deadline = After(options.TranscriptionTimeout(duration));
        while (seen.Outcome is null)
        {
            var next = (await NextAsync(deadline))?.Event;
            if (next is null) break;
            seen = seen.With(next);
        }
        if (seen.Outcome is not null) return OutcomeOf(seen.Outcome);

        logger.LogWarning("Pipeline {InstanceId}: no transcription webhook for recording {RecordingId} in time; polling 100ms",
            context.InstanceId, record.RecordingId);
        for (var poll = 0; poll < options.MaxPolls; poll++)
        {
            var snapshot = await GetRecordingAsync();
            var transcriptAssets = snapshot.Assets.Where(IsTranscriptOrSummary).ToList();
            // Nothing started and nothing listed: 100ms is not transcribing this recording, and polling will not change that.
            if (transcriptAssets.Count == 0 && !seen.Started)
                return (PipelinePhase.TranscriptionTimedOut,
                    $"100ms produced no transcript within {options.TranscriptionTimeout(duration)}: no transcription started and the recording lists no transcript assets");
            if (transcriptAssets.Count > 0 && transcriptAssets.All(a => a.Status == HmsAssetStatus.Completed))
                return (PipelinePhase.Completed, null);
            if (transcriptAssets.Count > 0 && transcriptAssets.All(a => a.Status != HmsAssetStatus.Processing))
                return (PipelinePhase.Failed, "100ms reports some transcription assets failed");

            if ((await NextAsync(After(options.PollInterval)))?.Event is { } late) seen = seen.With(late);
            if (seen.Outcome is not null) return OutcomeOf(seen.Outcome);
        }
        return (PipelinePhase.TranscriptionTimedOut, "the transcription did not finish in time");
    }

    /// <summary>The files copied, what failed, and whether a failure was 100ms no longer having a file.</summary>
    private sealed record Copies(List<CopiedBlob> Blobs, string? Error, bool Gone)
    {
        /// <summary>The phase to end in after a transcription that ended in <paramref name="transcribed"/>.</summary>
        public PipelinePhase Ending(PipelinePhase transcribed) =>
            Error is null ? transcribed : Gone ? PipelinePhase.Expired : PipelinePhase.Failed;
    }

    /// <summary>Copies every finished transcript and the summary, in parallel, then renders the summary for people.</summary>
    private async Task<Copies> CopyTranscriptsAsync()
    {
        var snapshot = await GetRecordingAsync();
        var ready = snapshot.Assets.Where(a => IsTranscriptOrSummary(a) && a.Status == HmsAssetStatus.Completed).ToList();
        var copies = ready.Select(asset => CopyAsync(PipelineNames.CopyAsset,
            new CopyAssetInput(input.RoomId, record.SessionId, record.RecordingId!, asset))).ToList();
        var results = await Task.WhenAll(copies);

        var copied = results.Where(r => r.Blob is not null).Select(r => r.Blob!).ToList();
        var errors = results.Where(r => r.Error is not null).Select(r => r.Error!).ToList();
        if (ready.Zip(results).Any(pair => pair.First.Type == HmsAssetTypes.Summary && pair.Second.Blob is not null))
        {
            var rendered = await CopyAsync(PipelineNames.RenderSummary,
                new RenderSummaryInput(input.RoomId, record.SessionId, record.RecordingId!));
            if (rendered.Blob is not null) copied.Add(rendered.Blob);
            // summary.json, as 100ms wrote it, is archived all the same; only the rendering for people is missing.
            if (rendered.Error is not null) warnings.Add($"summary.md was not written: {rendered.Error}");
        }
        return new Copies(copied, errors.Count == 0 ? null : string.Join("; ", errors), results.Any(r => r.Gone));
    }

    private async Task<(CopiedBlob? Blob, string? Error, bool Gone)> CopyAsync(string activity, object activityInput)
    {
        try
        {
            var blob = await context.CallActivityAsync<CopiedBlob>(activity, activityInput, retry);
            record = record with { Blobs = [.. record.Blobs, blob.Name] };
            context.SetCustomStatus(record);
            return (blob, null, false);
        }
        catch (TaskFailedException failure)
        {
            return (null, $"{activity} failed: {failure.FailureDetails.ErrorMessage}",
                failure.FailureDetails.ErrorType == typeof(GoneFromHmsException).FullName);
        }
    }

    /// <summary>Asks 100ms to stop the recording; 100ms's webhooks then tell when it is processed.</summary>
    private async Task StopAsync(string why)
    {
        Enter(PipelinePhase.Stopping);
        stopRequests++;
        processingSince ??= context.CurrentUtcDateTime;
        logger.LogInformation("Pipeline {InstanceId} stops recording {RecordingId}: {Why}", context.InstanceId, record.RecordingId, why);
        try
        {
            await context.CallActivityAsync<bool>(PipelineNames.StopRecording, record.RecordingId, retry);
        }
        catch (TaskFailedException refused)
        {
            // A refusal may only mean the recording had stopped already: 100ms says whether it still runs.
            var reason = refused.FailureDetails.ErrorMessage;
            logger.LogWarning("Pipeline {InstanceId}: 100ms refused to stop recording {RecordingId}: {Reason}", context.InstanceId, record.RecordingId, reason);
            var snapshot = await GetRecordingAsync();
            if (snapshot.Status is HmsRecordingStatus.Starting or HmsRecordingStatus.Running)
                throw new PipelineHalt($"100ms refused to stop the recording, which still runs: {reason}");
        }
    }

    private async Task<PipelineRecord> FinishAsync(PipelinePhase phase, IReadOnlyList<CopiedBlob> copied, string? error, string? why = null)
    {
        // A pipeline that returned with its wait timer still pending stayed Running until the timer fired (the scheduled
        // tests caught it with hour-long timers): the timer is cancelled first.
        inbox.StopWaiting();
        record = record with { Error = error, Warnings = warnings.Count > 0 ? [.. warnings] : null };
        // The final phase shows only once the manifest is written: "completed" means every file is in place.
        Enter(phase, publish: false);
        if (record.RecordingId is not null)
        {
            var manifest = new RecordingManifest
            {
                InstanceId = context.InstanceId,
                RoomId = input.RoomId,
                SessionId = record.SessionId,
                RecordingId = record.RecordingId,
                Phase = phase,
                Error = error,
                Warnings = record.Warnings,
                RecordingDurationSeconds = record.RecordingDurationSeconds,
                Phases = record.Phases,
                Files = copied,
            };
            try
            {
                var written = await context.CallActivityAsync<CopiedBlob>(PipelineNames.WriteManifest, manifest, retry);
                record = record with { Blobs = [.. record.Blobs, written.Name] };
            }
            catch (TaskFailedException failure)
            {
                var unwritten = $"manifest.json could not be written: {failure.FailureDetails.ErrorMessage}";
                record = record with { Error = error is null ? unwritten : $"{error}; {unwritten}" };
                Enter(PipelinePhase.Failed, publish: false);
            }
        }
        // Counted before the final phase is published: a client seeing the final phase sees a completed orchestration.
        await RecordOutcomeAsync(record.Phase, record.Error ?? why);
        context.SetCustomStatus(record);
        logger.LogInformation("Pipeline {InstanceId} for recording {RecordingId} ended {Phase}: {Error}",
            context.InstanceId, record.RecordingId, record.Phase.ToWireName(), record.Error ?? why ?? "no error");
        return record;
    }

    /// <summary>Metrics and the error log of the ended pipeline, in an activity: here they would repeat on every replay.</summary>
    private async Task RecordOutcomeAsync(PipelinePhase phase, string? reason)
    {
        var outcome = new PipelineOutcome(context.InstanceId, input.RoomId, record.RecordingId,
            input.Origin, phase, reason, record.Phases);
        try
        {
            await context.CallActivityAsync<bool>(PipelineNames.RecordOutcome, outcome);
        }
        catch (TaskFailedException failure)
        {
            // Telemetry never changes how a pipeline ends.
            logger.LogWarning("Pipeline {InstanceId} could not record its outcome: {Error}", context.InstanceId, failure.FailureDetails.ErrorMessage);
        }
    }

    private async Task<RecordingSnapshot> GetRecordingAsync()
    {
        try
        {
            return await context.CallActivityAsync<RecordingSnapshot>(PipelineNames.GetRecording, record.RecordingId, retry);
        }
        catch (TaskFailedException failure)
        {
            throw new PipelineHalt($"100ms did not say how recording {record.RecordingId} is doing: {failure.FailureDetails.ErrorMessage}");
        }
    }


    private Task<PipelineInbox.Incoming?> NextAsync(DateTime deadline, bool acceptCommands = false) => inbox.NextAsync(context, deadline, acceptCommands);

    private static (PipelinePhase, string?) OutcomeOf(PipelineEvent transcription) =>
        transcription.Type == HmsWebhookEventTypes.TranscriptionSuccess
            ? (PipelinePhase.Completed, null)
            : (PipelinePhase.Failed, $"100ms reported {transcription.Type}{(transcription.Error is null ? "" : ": " + transcription.Error)}");

    /// <summary>What the transcription webhooks have said so far: that it began, and how it ended.</summary>
    private sealed record TranscriptionEvents(bool Started, PipelineEvent? Outcome)
    {
        public static readonly TranscriptionEvents None = new(false, null);

        public static bool Includes(string type) =>
            type == HmsWebhookEventTypes.TranscriptionStartedSuccess || type == HmsWebhookEventTypes.TranscriptionSuccess
            || HmsWebhookEventTypes.IsTranscriptionFailure(type);

        /// <summary>These events and <paramref name="e"/>; the first outcome counts, and other events change nothing.</summary>
        public TranscriptionEvents With(PipelineEvent e) => !Includes(e.Type) ? this
            : new(true, e.Type == HmsWebhookEventTypes.TranscriptionStartedSuccess ? Outcome : Outcome ?? e);
    }

    private static bool IsTranscriptOrSummary(RecordingAsset asset) =>
        asset.Type is HmsAssetTypes.Transcript or HmsAssetTypes.Summary;

    private DateTimeOffset Now => new(context.CurrentUtcDateTime, TimeSpan.Zero);

    private DateTime After(TimeSpan hmsTime) => context.CurrentUtcDateTime + options.Scaled(hmsTime);

    private void Enter(PipelinePhase phase, bool publish = true)
    {
        if (record.Phases.Count > 0 && record.Phase == phase) return;
        record = record with
        {
            Phase = phase,
            Phases = [.. record.Phases, new PhaseChange(phase, Now)],
        };
        if (publish) context.SetCustomStatus(record);
    }
}

/// <param name="NotBefore">When the pipeline began: a recording 100ms created in the room since then is this pipeline's own.</param>
public sealed record StartRecordingInput(
    [property: System.Text.Json.Serialization.JsonPropertyName("room_id")] string RoomId,
    [property: System.Text.Json.Serialization.JsonPropertyName("request")] StartRecordingRequest Request,
    [property: System.Text.Json.Serialization.JsonPropertyName("not_before")] DateTimeOffset NotBefore);
