using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RecordingFunctions.Hms;
using RecordingFunctions.Storage;
using RecordingFunctions.Telemetry;

namespace RecordingFunctions.Pipeline.Activities;

/// <summary>
/// Streams one transcript or summary from 100ms into the recordings container. The download URL is always
/// a fresh presigned URL from the API, never one carried by a webhook.
/// </summary>
public sealed class CopyAssetActivity(HmsClient hms, AssetDownloader downloader, RecordingArchive archive, ILogger<CopyAssetActivity> logger)
{
    private static readonly TimeSpan PresignDuration = TimeSpan.FromMinutes(30);

    public async Task<CopiedBlob> RunAsync(CopyAssetInput input, CancellationToken cancellationToken)
    {
        var fileName = RecordingBlobLayout.FileNameOf(input.Asset.Type, input.Asset.OutputMode)
            ?? throw new ArgumentException($"Asset {input.Asset.Id} of type {input.Asset.Type} is not copied.", nameof(input));
        if (!HmsLimits.IsHmsId(input.Asset.Id)) throw new ArgumentException("Asset id is not a 100ms id.", nameof(input));
        var blobName = RecordingBlobLayout.BlobName(input.RoomId, input.RecordingId, fileName);

        var earlier = await archive.FindCopyAsync(blobName, input.Asset.Id, cancellationToken);
        if (earlier is not null) return earlier;

        using var span = RecordingFunctionsTelemetry.StartSpan("copy " + fileName, roomId: input.RoomId, recordingId: input.RecordingId);
        var started = Stopwatch.GetTimestamp();

        var presigned = await hms.GetPresignedUrlAsync(input.Asset.Id, PresignDuration, cancellationToken);
        Stream download;
        try
        {
            download = await downloader.OpenAsync(presigned.Url, cancellationToken);
        }
        catch (AssetDownloadException e) when (GoneFromHmsException.IsGone((int?)e.Status))
        {
            throw new GoneFromHmsException($"100ms no longer has {fileName} (asset {input.Asset.Id}): {e.Message}", e);
        }
        catch (AssetDownloadException e) when (!e.IsRetryable)
        {
            throw new PermanentFailureException(e.Message, e);
        }
        await using var _ = download;
        var copied = await archive.UploadAsync(blobName, download,
            RecordingBlobLayout.Metadata(input.RoomId, input.SessionId, input.RecordingId), input.Asset.Id, cancellationToken);
        PipelineTelemetry.AssetCopied(fileName, copied.Size, Stopwatch.GetElapsedTime(started));
        span?.SetTag("recordingfunctions.bytes", copied.Size);
        logger.LogInformation("Copied asset {AssetId} of recording {RecordingId} to {BlobName} ({Size} bytes)",
            input.Asset.Id, input.RecordingId, blobName, copied.Size);
        return copied;
    }
}
