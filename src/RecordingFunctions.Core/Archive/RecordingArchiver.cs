using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecordingFunctions.Hms;
using RecordingFunctions.Pipeline;
using RecordingFunctions.Storage;

namespace RecordingFunctions.Archive;

/// <summary>
/// Decides whether a recording needs an archive pipeline, and starts it once. A recording is left alone when a
/// running pipeline follows it, when its <c>manifest.json</c> exists (a pipeline of ours, archive or not, ended with it),
/// or when its archive pipeline exists in any state. The archive pipeline's instance id comes from the recording id,
/// so concurrent deciders that all say "start" still start one.
/// </summary>
public sealed class RecordingArchiver(
    IOptions<ArchiveOptions> options, IOptions<PipelineOptions> pipelineOptions, RecordingArchive archive,
    PipelineStore store, ILogger<RecordingArchiver> logger)
{
    public bool ArchivesAll => options.Value.Recordings == ArchiveScope.All;

    /// <summary>The events that say a recording has ended: each can start an archive pipeline for it.</summary>
    public static bool SaysRecordingEnded(string type) =>
        type is HmsWebhookEventTypes.BeamRecordingSuccess or HmsWebhookEventTypes.TranscriptionStartedSuccess
            or HmsWebhookEventTypes.TranscriptionSuccess || HmsWebhookEventTypes.IsTranscriptionFailure(type);

    /// <summary>
    /// For a webhook that reached none of the room's running pipelines' recordings: starts the recording's archive
    /// pipeline and returns its id, or null when the recording is followed, archived or not to be archived.
    /// </summary>
    public async Task<string?> ArchiveIfUnfollowedAsync(
        DurableTaskClient durable, PipelineEvent hmsEvent, IReadOnlyList<ActivePipeline> roomPipelines, CancellationToken cancellationToken)
    {
        if (!ArchivesAll || !SaysRecordingEnded(hmsEvent.Type) || !HmsLimits.IsHmsId(hmsEvent.RecordingId)) return null;
        var roomId = hmsEvent.RoomId!;
        var recordingId = hmsEvent.RecordingId!;
        var instanceId = PipelineInstanceIds.ForArchive(roomId, recordingId);
        if (roomPipelines.Any(p => p.RecordingId == recordingId || p.InstanceId == instanceId)) return null;
        // A pipeline of ours still starting may be about to adopt this very recording: it is left to that pipeline,
        // and should the guess be wrong, a sweep archives the recording later.
        if (roomPipelines.Any(p => p.RecordingId is null && p.Phase == PipelinePhase.Starting)) return null;
        if (await IsArchivedAsync(roomId, recordingId, cancellationToken)) return null;

        var source = new ArchiveSource(PipelineOrigins.Webhook, recordingId, hmsEvent.SessionId, hmsEvent);
        return await StartAsync(durable, roomId, instanceId, source, cancellationToken) ? instanceId : null;
    }

    /// <summary>For one entry of 100ms's recordings list: what the sweep does with it.</summary>
    public async Task<SweepOutcome> ArchiveForSweepAsync(
        DurableTaskClient durable, HmsClient hms, SweepItem item, CancellationToken cancellationToken)
    {
        if (item.Status != HmsRecordingStatus.Completed)
            return SweepOutcome.Skipped(item.Status == HmsRecordingStatus.Failed ? "recording failed" : $"not completed ({item.Status})");
        if (!HmsLimits.IsHmsId(item.RoomId) || !HmsLimits.IsHmsId(item.Id)) return SweepOutcome.Skipped("not a 100ms id");

        var instanceId = PipelineInstanceIds.ForArchive(item.RoomId, item.Id);
        if (await IsArchivedAsync(item.RoomId, item.Id, cancellationToken) || await store.ExistsAsync(durable, instanceId, cancellationToken))
            return SweepOutcome.AlreadyArchived;
        var running = await store.FindActiveAsync(durable, item.RoomId, cancellationToken);
        if (running.Any(p => p.RecordingId == item.Id)) return SweepOutcome.AlreadyArchived;

        HmsRecording recording;
        try
        {
            recording = await hms.GetRecordingAsync(item.Id, cancellationToken);
        }
        catch (HmsApiException e) when (GoneFromHmsException.IsGone(e.StatusCode))
        {
            return SweepOutcome.Skipped("gone from 100ms");
        }
        if (!(recording.RecordingAssets ?? []).Any(a => a.Type is HmsAssetTypes.Transcript or HmsAssetTypes.Summary))
            return SweepOutcome.Skipped("no transcript or summary");

        var source = new ArchiveSource(PipelineOrigins.Sweep, item.Id, item.SessionId);
        return await StartAsync(durable, item.RoomId, instanceId, source, cancellationToken)
            ? SweepOutcome.Started(instanceId)
            : SweepOutcome.AlreadyArchived;
    }

    private async Task<bool> IsArchivedAsync(string roomId, string recordingId, CancellationToken cancellationToken) =>
        await archive.ExistsAsync(RecordingBlobLayout.BlobName(roomId, recordingId, RecordingBlobLayout.Manifest), cancellationToken);

    private async Task<bool> StartAsync(DurableTaskClient durable, string roomId, string instanceId, ArchiveSource source, CancellationToken cancellationToken)
    {
        var input = new PipelineInput(roomId, new StartRecordingRequest(), pipelineOptions.Value, Archive: source);
        if (!await store.CreateAsync(durable, instanceId, input, cancellationToken)) return false;
        logger.LogInformation("Started archive pipeline {InstanceId} for recording {RecordingId} of room {RoomId} ({Origin})",
            instanceId, source.RecordingId, roomId, source.Origin);
        return true;
    }
}
