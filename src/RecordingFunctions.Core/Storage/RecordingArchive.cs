using System.Diagnostics;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using RecordingFunctions.Pipeline;
using RecordingFunctions.Telemetry;

namespace RecordingFunctions.Storage;

/// <summary>The recordings container: streams files in, reads them back, and tells what a previous attempt already wrote.</summary>
public class RecordingArchive(BlobServiceClient blobService, IOptions<RecordingStorageOptions> options)
{
    private const string AssetIdKey = "asset_id";
    private const string Sha256Key = "sha256";

    // Bounded memory whatever the file size: at most MaximumConcurrency blocks of MaximumTransferSize in flight.
    private static readonly StorageTransferOptions Transfer = new()
    {
        InitialTransferSize = 4 * 1024 * 1024,
        MaximumTransferSize = 4 * 1024 * 1024,
        MaximumConcurrency = 4,
    };

    private Task<BlobContainerClient>? container;

    /// <summary>The container, created on first use; a failed creation is tried again on the next call.</summary>
    private Task<BlobContainerClient> ContainerAsync()
    {
        var current = container;
        if (current is null || current.IsFaulted || current.IsCanceled)
        {
            current = CreateContainerAsync();
            container = current;
        }
        return current;
    }

    private async Task<BlobContainerClient> CreateContainerAsync()
    {
        var client = blobService.GetBlobContainerClient(options.Value.Container);
        await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        return client;
    }

    /// <summary>
    /// Streams <paramref name="content"/> into <paramref name="blobName"/>. The blob appears only when every byte
    /// is in (a block blob's block list is committed last), so a cut-off download never leaves a partial file.
    /// </summary>
    public virtual async Task<CopiedBlob> UploadAsync(
        string blobName, Stream content, IDictionary<string, string> metadata, string? assetId, CancellationToken cancellationToken)
    {
        var blob = (await ContainerAsync().ConfigureAwait(false)).GetBlobClient(blobName);
        using var span = RecordingFunctionsTelemetry.StartSpan("upload " + Path.GetFileName(blobName), kind: ActivityKind.Client);
        span?.SetTag("azure.blob.name", blobName);
        var contentType = RecordingBlobLayout.ContentTypeOf(blobName);
        using var hashing = new HashingReadStream(content);
        var allMetadata = new Dictionary<string, string>(metadata);
        if (assetId is not null) allMetadata[AssetIdKey] = assetId;

        try
        {
            await blob.UploadAsync(hashing, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                Metadata = allMetadata,
                TransferOptions = Transfer,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // Deleted since we created it: create it again on the next attempt (the stream can't be replayed here).
            container = null;
            throw;
        }

        // The checksum is known only once the stream is read; it also marks the copy as complete for FindCopyAsync.
        var sha256 = hashing.Sha256Hex();
        allMetadata[Sha256Key] = sha256;
        await blob.SetMetadataAsync(allMetadata, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new CopiedBlob(blobName, assetId, contentType, hashing.BytesRead, sha256);
    }

    /// <summary>The blob a previous attempt finished for this asset, if any: copies are idempotent.</summary>
    public virtual async Task<CopiedBlob?> FindCopyAsync(string blobName, string assetId, CancellationToken cancellationToken)
    {
        var blob = (await ContainerAsync().ConfigureAwait(false)).GetBlobClient(blobName);
        try
        {
            BlobProperties properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return properties.Metadata.TryGetValue(AssetIdKey, out var id) && id == assetId
                && properties.Metadata.TryGetValue(Sha256Key, out var sha256)
                ? new CopiedBlob(blobName, assetId, properties.ContentType, properties.ContentLength, sha256)
                : null;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public virtual async Task<bool> ExistsAsync(string blobName, CancellationToken cancellationToken)
    {
        var blob = (await ContainerAsync().ConfigureAwait(false)).GetBlobClient(blobName);
        return await blob.ExistsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Streams an archived file as it is stored, with its content type, length and ETag; null when there is no such blob.</summary>
    public virtual async Task<BlobDownloadStreamingResult?> DownloadAsync(string blobName, CancellationToken cancellationToken)
    {
        var blob = (await ContainerAsync().ConfigureAwait(false)).GetBlobClient(blobName);
        try
        {
            return await blob.DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public virtual async Task<Stream> OpenReadAsync(string blobName, CancellationToken cancellationToken)
    {
        var blob = (await ContainerAsync().ConfigureAwait(false)).GetBlobClient(blobName);
        return await blob.OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
