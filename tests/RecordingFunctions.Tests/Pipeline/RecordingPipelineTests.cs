using RecordingFunctions.Hms;
using RecordingFunctions.Pipeline;
using RecordingFunctions.Pipeline.Activities;
using RecordingFunctions.Storage;

namespace RecordingFunctions.Tests.Pipeline;

/// <summary>The orchestrator's decisions, on a scripted context: branching, timeouts and failures.</summary>
public class RecordingPipelineTests
{
    private const string Room = "64a0000000000000000000aa";
    private const string Session = "64a0000000000000000000bb";
    private const string Recording = "64a0000000000000000000cc";

    private static readonly PipelineOptions Options = new()
    {
        MaxRecordingDuration = TimeSpan.FromHours(4),
        RecordingEndMargin = TimeSpan.FromMinutes(15),
        TranscriptionTimeoutFloor = TimeSpan.FromMinutes(5),
        TranscriptionTimeoutRatio = 0.2,
        TranscriptionTimeoutGrace = TimeSpan.FromMinutes(5),
        PollInterval = TimeSpan.FromMinutes(2),
        MaxPolls = 3,
    };

    private static readonly RecordingAsset[] FinishedTranscripts =
    [
        new("64a0000000000000000000d1", HmsAssetTypes.RoomComposite, null, HmsAssetStatus.Completed, 1000),
        new("64a0000000000000000000d2", HmsAssetTypes.Transcript, "txt", HmsAssetStatus.Completed, 10),
        new("64a0000000000000000000d3", HmsAssetTypes.Transcript, "srt", HmsAssetStatus.Completed, 20),
        new("64a0000000000000000000d4", HmsAssetTypes.Transcript, "json", HmsAssetStatus.Completed, 30),
        new("64a0000000000000000000d5", HmsAssetTypes.Summary, "json", HmsAssetStatus.Completed, 40),
    ];

    private static PipelineInput Input(bool transcription = true) => new(Room, new StartRecordingRequest
    {
        Transcription = new TranscriptionSettings { Enabled = transcription },
    }, Options);

    private static int eventCounter;

    /// <summary>An event of the scripted recording; its <c>beam.*</c> events carry the recording id as their job id, as 100ms's do.</summary>
    private static PipelineEvent Event(string type, string? recordingId = Recording, int? duration = 600, string? id = null, string? job = Recording) => new()
    {
        Id = id ?? $"evt-{Interlocked.Increment(ref eventCounter)}",
        Type = type,
        RoomId = Room,
        SessionId = Session,
        RecordingId = recordingId,
        JobId = type.StartsWith("beam.", StringComparison.Ordinal) ? job : null,
        DurationSeconds = duration,
    };

    private static ScriptedOrchestration Pipeline(IReadOnlyList<RecordingAsset>? assets = null, string status = HmsRecordingStatus.Completed) =>
        new ScriptedOrchestration()
            .Activity(PipelineNames.StartRecording, new StartedRecording(Recording, Session, ["room-composite", "chat", "transcript", "summary"]))
            .Activity<string, RecordingSnapshot>(PipelineNames.GetRecording, _ => Snapshot(status, assets ?? FinishedTranscripts))
            .Activity<CopyAssetInput, CopiedBlob>(PipelineNames.CopyAsset, i => Blob(i.Asset.Type + "." + i.Asset.OutputMode, i.Asset.Id))
            .Activity<RenderSummaryInput, CopiedBlob>(PipelineNames.RenderSummary, _ => Blob("summary.md", null))
            .Activity<RecordingManifest, CopiedBlob>(PipelineNames.WriteManifest, _ => Blob("manifest.json", null))
            .Activity(PipelineNames.StopRecording, true);

    private static RecordingSnapshot Snapshot(string status, IReadOnlyList<RecordingAsset> assets) =>
        new(status, Session, null, null, 600, assets);

    private static CopiedBlob Blob(string name, string? assetId) => new(name, assetId, "text/plain", 1, "00");

    [Fact]
    public async Task Happy_path_copies_every_transcript_and_the_summary_then_writes_the_manifest()
    {
        var script = Pipeline().Events(
            Event(HmsWebhookEventTypes.BeamStartedSuccess, recordingId: null),
            Event(HmsWebhookEventTypes.BeamStoppedSuccess, recordingId: null),
            Event(HmsWebhookEventTypes.BeamRecordingSuccess),
            Event(HmsWebhookEventTypes.TranscriptionStartedSuccess),
            Event(HmsWebhookEventTypes.TranscriptionSuccess));

        var result = await script.RunAsync(Input());

        Assert.Equal(PipelinePhase.Completed, result.Phase);
        Assert.Null(result.Error);
        Assert.Equal(Recording, result.RecordingId);
        Assert.Equal(Session, result.SessionId);
        Assert.Equal(600, result.RecordingDurationSeconds);
        Assert.Equal(
            [PipelinePhase.Starting, PipelinePhase.Recording, PipelinePhase.Processing, PipelinePhase.Transcribing, PipelinePhase.Copying, PipelinePhase.Completed],
            result.Phases.Select(p => p.Phase));
        Assert.Equal(["d2", "d3", "d4", "d5"], script.InputsOf<CopyAssetInput>(PipelineNames.CopyAsset).Select(i => i.Asset.Id[^2..]).Order());
        Assert.Single(script.InputsOf<RenderSummaryInput>(PipelineNames.RenderSummary));
        var manifest = Assert.Single(script.InputsOf<RecordingManifest>(PipelineNames.WriteManifest));
        Assert.Equal(5, manifest.Files.Count);
        Assert.Equal(PipelinePhase.Completed, manifest.Phase);
        Assert.Contains("manifest.json", result.Blobs);
        Assert.Equal(result.Phase, script.Statuses[^1].Phase);
    }

    [Fact]
    public async Task A_refused_start_fails_the_pipeline_with_100ms_message_and_calls_nothing_else()
    {
        var script = Pipeline().Activity<StartRecordingInput, StartedRecording>(PipelineNames.StartRecording,
            _ => throw new PermanentFailureException("100ms POST recordings/room/{id}/start failed: 409 Conflict: beam already started"));

        var result = await script.RunAsync(Input());

        Assert.Equal(PipelinePhase.Failed, result.Phase);
        Assert.Contains("beam already started", result.Error);
        Assert.Equal([PipelineNames.StartRecording, PipelineNames.RecordOutcome], script.ActivityCalls.Select(c => c.Name));
        var outcome = Assert.Single(script.InputsOf<PipelineOutcome>(PipelineNames.RecordOutcome));
        Assert.Equal((PipelinePhase.Failed, "api"), (outcome.Phase, outcome.Origin));
        Assert.Contains("beam already started", outcome.Reason);
        Assert.Equal([PipelinePhase.Starting, PipelinePhase.Failed], outcome.Phases.Select(p => p.Phase));
    }

    [Theory]
    [InlineData(600, 5 * 60 + 5 * 60)]          // 20% of 10 min is under the 5 min floor
    [InlineData(3600, 12 * 60 + 5 * 60)]        // 20% of an hour, plus grace
    [InlineData(4 * 3600, 48 * 60 + 5 * 60)]
    public async Task The_transcription_wait_is_max_of_floor_and_a_fifth_of_the_duration_plus_grace(int durationSeconds, int expectedSeconds)
    {
        var script = Pipeline().Events(Event(HmsWebhookEventTypes.BeamRecordingSuccess, duration: durationSeconds), null);

        await script.RunAsync(Input());

        // Timers: the recording wait, then the transcription wait that timed out.
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), script.Timers[1]);
    }

    [Fact]
    public async Task Time_scale_shrinks_every_wait()
    {
        var script = Pipeline().Events(Event(HmsWebhookEventTypes.BeamRecordingSuccess, duration: 3600), null);

        await script.RunAsync(Input() with { Options = Options with { TimeScale = 60 } });

        Assert.Equal(TimeSpan.FromHours(4.25) / 60, script.Timers[0]);
        Assert.Equal(TimeSpan.FromSeconds(17 * 60) / 60, script.Timers[1]);
    }

    [Fact]
    public async Task Lost_webhooks_fall_back_to_asking_100ms_and_polling_the_assets()
    {
        var processing = FinishedTranscripts.Select(a => a with { Status = a.Type == HmsAssetTypes.RoomComposite ? a.Status : HmsAssetStatus.Processing }).ToArray();
        var polls = 0;
        var script = Pipeline().Activity<string, RecordingSnapshot>(PipelineNames.GetRecording,
            _ => Snapshot(HmsRecordingStatus.Completed, ++polls < 4 ? processing : FinishedTranscripts));

        var result = await script.RunAsync(Input());

        Assert.Equal(PipelinePhase.Completed, result.Phase);
        Assert.Equal(TimeSpan.FromHours(4.25), script.Timers[0]);
        Assert.Equal(4, script.InputsOf<CopyAssetInput>(PipelineNames.CopyAsset).Count());
        Assert.True(polls >= 4);
    }

    [Fact]
    public async Task Polling_that_never_sees_the_assets_finish_ends_transcription_timed_out_and_copies_what_is_ready()
    {
        var partial = FinishedTranscripts.Select(a => a.OutputMode == "srt" ? a with { Status = HmsAssetStatus.Processing } : a).ToArray();
        var script = Pipeline(partial).Events(Event(HmsWebhookEventTypes.BeamRecordingSuccess));

        var result = await script.RunAsync(Input());

        Assert.Equal(PipelinePhase.TranscriptionTimedOut, result.Phase);
        Assert.DoesNotContain(script.InputsOf<CopyAssetInput>(PipelineNames.CopyAsset), i => i.Asset.OutputMode == "srt");
        Assert.Equal(3, script.InputsOf<CopyAssetInput>(PipelineNames.CopyAsset).Count());
        Assert.Single(script.InputsOf<RecordingManifest>(PipelineNames.WriteManifest));
    }

    [Fact]
    public async Task Duplicate_and_reordered_webhooks_change_nothing()
    {
        var success = Event(HmsWebhookEventTypes.TranscriptionSuccess);
        var script = Pipeline().Events(
            success, success,
            Event(HmsWebhookEventTypes.TranscriptionStartedSuccess),
            Event(HmsWebhookEventTypes.BeamRecordingSuccess));

        var result = await script.RunAsync(Input());

        Assert.Equal(PipelinePhase.Completed, result.Phase);
        Assert.Equal(4, script.InputsOf<CopyAssetInput>(PipelineNames.CopyAsset).Count());
        // No timeout was needed: the early transcription event already told the story.
        Assert.DoesNotContain(script.ActivityCalls, c => c.Name == PipelineNames.StopRecording);
    }

    [Fact]
    public async Task Events_of_another_recording_are_ignored()
    {
        var script = Pipeline().Events(
            Event(HmsWebhookEventTypes.BeamFailure, recordingId: "64a0000000000000000000ff"),
            Event(HmsWebhookEventTypes.TranscriptionFailure, recordingId: "64a0000000000000000000ff"),
            Event(HmsWebhookEventTypes.BeamRecordingSuccess),
            Event(HmsWebhookEventTypes.TranscriptionSuccess));

        var result = await script.RunAsync(Input());

        Assert.Equal(PipelinePhase.Completed, result.Phase);
    }

    [Fact]
    public async Task An_unplaceable_stop_is_checked_with_100ms_and_ignored_while_the_recording_runs()
    {
        var asked = 0;
        var script = Pipeline()
            .Activity<string, RecordingSnapshot>(PipelineNames.GetRecording,
                _ => Snapshot(++asked == 1 ? HmsRecordingStatus.Running : HmsRecordingStatus.Completed, FinishedTranscripts))
            .Events(
                Event(HmsWebhookEventTypes.BeamStoppedSuccess, recordingId: null, job: "64a0000000000000000000f1"),
                Event(HmsWebhookEventTypes.BeamFailure, recordingId: null, job: "64a0000000000000000000f1"),
                Event(HmsWebhookEventTypes.BeamRecordingSuccess),
                Event(HmsWebhookEventTypes.TranscriptionSuccess));

        var result = await script.RunAsync(Input());

        Assert.Equal(PipelinePhase.Completed, result.Phase);
        // Once for the unplaceable stop (the failure of the same job is then known to be another's), once before copying.
        Assert.Equal(2, asked);
        Assert.DoesNotContain(PipelinePhase.Processing, result.Phases.Select(p => p.Phase));
    }

    [Fact]
    public async Task A_refused_stop_of_a_running_recording_ends_failed_with_a_manifest_instead_of_throwing()
    {
        var script = Pipeline(status: HmsRecordingStatus.Running)
            .Activity<string, bool>(PipelineNames.StopRecording, _ => throw new PermanentFailureException("403 user does not have required permission"))
            .Events(Command(PipelineCommand.Stop));

        var result = await script.RunAsync(Input());

        Assert.Equal(PipelinePhase.Failed, result.Phase);
        Assert.Contains("refused to stop", result.Error);
        Assert.Contains("403", result.Error);
        Assert.Equal(PipelinePhase.Failed, Assert.Single(script.InputsOf<RecordingManifest>(PipelineNames.WriteManifest)).Phase);
    }

    [Fact]
    public async Task A_refused_stop_of_a_recording_that_had_stopped_anyway_goes_on()
    {
        var script = Pipeline(status: HmsRecordingStatus.PostProcessing)
            .Activity<string, bool>(PipelineNames.StopRecording, _ => throw new PermanentFailureException("409 conflict"))
            .Events(Command(PipelineCommand.Stop), Event(HmsWebhookEventTypes.BeamRecordingSuccess), Event(HmsWebhookEventTypes.TranscriptionSuccess));

        var result = await script.RunAsync(Input());

        Assert.Equal(PipelinePhase.Completed, result.Phase);
    }

    [Fact]
    public async Task Without_transcription_in_the_request_the_assets_and_transcription_events_decide()
    {
        var script = Pipeline()
            .Activity(PipelineNames.StartRecording, new StartedRecording(Recording, Session, ["room-composite", "chat"]))
            .Activity<string, RecordingSnapshot>(PipelineNames.GetRecording, _ => Snapshot(HmsRecordingStatus.Completed, FinishedTranscripts))
            .Events(Event(HmsWebhookEventTypes.BeamRecordingSuccess), Event(HmsWebhookEventTypes.TranscriptionSuccess));

        var result = await script.RunAsync(Input() with { Request = new StartRecordingRequest() });

        Assert.Equal(PipelinePhase.Completed, result.Phase);
        Assert.Equal(4, script.InputsOf<CopyAssetInput>(PipelineNames.CopyAsset).Count());
    }

    [Theory]
    [InlineData("transcription.failure")]
    [InlineData("transcription.failed")]
    public async Task Transcription_failure_copies_what_exists_and_fails_with_the_reason(string failureType)
    {
        var partial = FinishedTranscripts.Where(a => a.Type != HmsAssetTypes.Summary).ToArray();
        var script = Pipeline(partial).Events(Event(HmsWebhookEventTypes.BeamRecordingSuccess), Event(failureType));

        var result = await script.RunAsync(Input());

        Assert.Equal(PipelinePhase.Failed, result.Phase);
        Assert.Contains(failureType, result.Error);
        Assert.Equal(3, script.InputsOf<CopyAssetInput>(PipelineNames.CopyAsset).Count());
        Assert.Empty(script.InputsOf<RenderSummaryInput>(PipelineNames.RenderSummary));
        Assert.Equal(PipelinePhase.Failed, Assert.Single(script.InputsOf<RecordingManifest>(PipelineNames.WriteManifest)).Phase);
    }

    [Fact]
    public async Task Beam_failure_fails_the_pipeline()
    {
        var failure = Event(HmsWebhookEventTypes.BeamFailure, recordingId: null) with { Error = "UPLOAD_ERROR: upload failed" };
        var script = Pipeline().Events(failure);

        var result = await script.RunAsync(Input());

        Assert.Equal(PipelinePhase.Failed, result.Phase);
        Assert.Contains("UPLOAD_ERROR", result.Error);
        Assert.Empty(script.InputsOf<CopyAssetInput>(PipelineNames.CopyAsset));
    }

    [Fact]
    public async Task A_recording_still_running_past_its_maximum_is_stopped_then_processed()
    {
        var asked = 0;
        var script = Pipeline()
            .Activity<string, RecordingSnapshot>(PipelineNames.GetRecording,
                _ => Snapshot(++asked == 1 ? HmsRecordingStatus.Running : HmsRecordingStatus.Completed, FinishedTranscripts))
            .Events(null, Event(HmsWebhookEventTypes.BeamRecordingSuccess, duration: 4 * 3600), Event(HmsWebhookEventTypes.TranscriptionSuccess));

        var result = await script.RunAsync(Input());

        Assert.Equal(PipelinePhase.Completed, result.Phase);
        Assert.Equal([Recording], script.InputsOf<string>(PipelineNames.StopRecording));
    }

    [Fact]
    public async Task A_recording_that_never_finishes_fails_after_a_bounded_number_of_checks()
    {
        var script = Pipeline(status: HmsRecordingStatus.Running);

        var result = await script.RunAsync(Input());

        Assert.Equal(PipelinePhase.Failed, result.Phase);
        Assert.Contains("did not finish", result.Error);
        Assert.InRange(script.InputsOf<string>(PipelineNames.StopRecording).Count(), 1, 3);
    }

    [Fact]
    public async Task Without_transcription_the_pipeline_completes_after_the_recording_with_only_a_manifest()
    {
        var script = Pipeline()
            .Activity(PipelineNames.StartRecording, new StartedRecording(Recording, Session, ["room-composite", "chat"]))
            .Events(Event(HmsWebhookEventTypes.BeamRecordingSuccess));

        var result = await script.RunAsync(Input(transcription: false));

        Assert.Equal(PipelinePhase.Completed, result.Phase);
        Assert.Empty(script.InputsOf<CopyAssetInput>(PipelineNames.CopyAsset));
        Assert.Equal(["manifest.json"], result.Blobs);
    }

    [Fact]
    public async Task A_copy_that_fails_after_its_retries_fails_the_pipeline_but_keeps_the_other_copies()
    {
        var script = Pipeline()
            .Activity<CopyAssetInput, CopiedBlob>(PipelineNames.CopyAsset, i => i.Asset.OutputMode == "srt"
                ? throw new IOException("storage unavailable")
                : Blob(i.Asset.Id, i.Asset.Id))
            .Events(Event(HmsWebhookEventTypes.BeamRecordingSuccess), Event(HmsWebhookEventTypes.TranscriptionSuccess));

        var result = await script.RunAsync(Input());

        Assert.Equal(PipelinePhase.Failed, result.Phase);
        Assert.Contains("storage unavailable", result.Error);
        var manifest = Assert.Single(script.InputsOf<RecordingManifest>(PipelineNames.WriteManifest));
        // txt, json and summary.json copied, and summary.md rendered from the summary that did arrive.
        Assert.Equal(4, manifest.Files.Count);
        Assert.Contains(manifest.Files, f => f.Name == "summary.md");
    }

    // ----- scheduled recordings -----

    private static readonly DateTimeOffset ScriptStart = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private static PipelineInput Scheduled(RecordingSchedule schedule) => Input() with { Schedule = schedule };

    private static PipelineCommand Command(string action, RecordingSchedule? schedule = null) =>
        new() { Action = action, Schedule = schedule };

    private static List<PipelinePhase> PhasesOf(PipelineRecord record) => record.Phases.Select(p => p.Phase).ToList();

    [Fact]
    public async Task Scheduled_pipeline_waits_for_its_start_time_and_follows_a_reschedule()
    {
        var script = Pipeline().Events(
            Command(PipelineCommand.Reschedule, new() { StartAt = ScriptStart.AddHours(2), DurationSeconds = 600 }),
            null,
            Event(HmsWebhookEventTypes.BeamRecordingSuccess),
            Event(HmsWebhookEventTypes.TranscriptionSuccess));

        var result = await script.RunAsync(Scheduled(new() { StartAt = ScriptStart.AddHours(1), DurationSeconds = 600 }));

        Assert.Equal(PipelinePhase.Completed, result.Phase);
        Assert.Equal([TimeSpan.FromHours(1), TimeSpan.FromHours(2)], script.Timers.Take(2));
        Assert.Equal(ScriptStart.AddHours(2), script.InputsOf<StartRecordingInput>(PipelineNames.StartRecording).Single().NotBefore);
        Assert.Equal([PipelinePhase.Scheduled, PipelinePhase.Starting, PipelinePhase.Recording], PhasesOf(result).Take(3));
        Assert.Equal(ScriptStart.AddHours(2).AddMinutes(10), result.Schedule!.StopAt);
    }

    [Fact]
    public async Task Cancel_before_the_start_ends_cancelled_without_calling_100ms()
    {
        var script = Pipeline().Events(Event(HmsWebhookEventTypes.BeamStartedSuccess, recordingId: null), Command(PipelineCommand.Cancel));

        var result = await script.RunAsync(Scheduled(new() { StartAt = ScriptStart.AddDays(2) }));

        Assert.Equal(PipelinePhase.Cancelled, result.Phase);
        Assert.Equal([PipelineNames.RecordOutcome], script.ActivityCalls.Select(c => c.Name));
        Assert.Equal([PipelinePhase.Scheduled, PipelinePhase.Cancelled], PhasesOf(result));
        Assert.Null(result.Error);
    }

    [Fact]
    public async Task Duration_stops_the_recording_when_the_time_is_up()
    {
        var script = Pipeline().Events(
            null,
            Event(HmsWebhookEventTypes.BeamStoppedSuccess, recordingId: null),
            Event(HmsWebhookEventTypes.BeamRecordingSuccess),
            Event(HmsWebhookEventTypes.TranscriptionSuccess));

        var result = await script.RunAsync(Scheduled(new() { DurationSeconds = 1800 }));

        Assert.Equal(PipelinePhase.Completed, result.Phase);
        Assert.Equal(TimeSpan.FromMinutes(30), script.Timers[0]);
        Assert.Equal([Recording], script.InputsOf<string>(PipelineNames.StopRecording));
        Assert.Equal([PipelinePhase.Starting, PipelinePhase.Recording, PipelinePhase.Stopping, PipelinePhase.Processing], PhasesOf(result).Take(4));
    }

    [Fact]
    public async Task When_100ms_stops_the_recording_first_nothing_is_stopped_again()
    {
        var script = Pipeline().Events(
            Event(HmsWebhookEventTypes.BeamStoppedSuccess, recordingId: null),
            Event(HmsWebhookEventTypes.BeamRecordingSuccess),
            Event(HmsWebhookEventTypes.TranscriptionSuccess));

        var result = await script.RunAsync(Scheduled(new() { DurationSeconds = 1800 }));

        Assert.Equal(PipelinePhase.Completed, result.Phase);
        Assert.Empty(script.InputsOf<string>(PipelineNames.StopRecording));
        Assert.DoesNotContain(PipelinePhase.Stopping, PhasesOf(result));
    }

    [Fact]
    public async Task A_cancel_that_raced_the_start_stops_the_recording_at_once()
    {
        var script = Pipeline().Events(
            null,
            Command(PipelineCommand.Cancel),
            Event(HmsWebhookEventTypes.BeamRecordingSuccess),
            Event(HmsWebhookEventTypes.TranscriptionSuccess));

        var result = await script.RunAsync(Scheduled(new() { StartAt = ScriptStart.AddMinutes(5), DurationSeconds = 3600 }));

        Assert.Equal(PipelinePhase.Completed, result.Phase);
        Assert.Single(script.InputsOf<string>(PipelineNames.StopRecording));
        Assert.Contains(PipelinePhase.Stopping, PhasesOf(result));
    }

    [Fact]
    public async Task A_reschedule_while_recording_moves_the_stop_time()
    {
        var script = Pipeline().Events(
            Command(PipelineCommand.Reschedule, new() { StopAt = ScriptStart.AddMinutes(30) }),
            null,
            Event(HmsWebhookEventTypes.BeamRecordingSuccess),
            Event(HmsWebhookEventTypes.TranscriptionSuccess));

        var result = await script.RunAsync(Scheduled(new() { StopAt = ScriptStart.AddHours(1) }));

        Assert.Equal([TimeSpan.FromHours(1), TimeSpan.FromMinutes(30)], script.Timers.Take(2));
        Assert.Single(script.InputsOf<string>(PipelineNames.StopRecording));
        Assert.Equal(ScriptStart.AddMinutes(30), result.Schedule!.StopAt);
    }

    [Fact]
    public async Task Events_before_a_deadline_share_one_durable_timer()
    {
        var started = Event(HmsWebhookEventTypes.BeamStartedSuccess, recordingId: null);
        var script = Pipeline().Events(
            started, started,
            Event(HmsWebhookEventTypes.BeamRecordingSuccess, recordingId: "64a0000000000000000000dd"),
            Event(HmsWebhookEventTypes.BeamStartedSuccess, recordingId: null),
            Event(HmsWebhookEventTypes.BeamRecordingSuccess),
            Event(HmsWebhookEventTypes.TranscriptionStartedSuccess),
            Event(HmsWebhookEventTypes.TranscriptionSuccess));

        var result = await script.RunAsync(Input());

        Assert.Equal(PipelinePhase.Completed, result.Phase);
        // One timer for the recording's deadline, one for the transcription's: a timer per event would be 7.
        Assert.Equal([TimeSpan.FromHours(4.25), TimeSpan.FromMinutes(5 + 5)], script.Timers);
    }
}
