using System.Buffers;
using System.Diagnostics;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using RecordingFunctions.Telemetry;

namespace RecordingFunctions.Storage;

/// <summary>The recordings container: streams files in, reads them back, and tells what a previous attempt already wrote.</summary>
public class RecordingArchive(BlobServiceClient blobService, IOptions<RecordingStorageOptions> options)
{
    private const string AssetIdKey = "asset_id";
    private const string Sha256Key = "sha256";

    private const int BlockSize = 4 * 1024 * 1024;

    // Bounded memory whatever the file size: at most MaximumConcurrency blocks of MaximumTransferSize in flight.
    private static readonly StorageTransferOptions Transfer = new()
    {
        InitialTransferSize = BlockSize,
        MaximumTransferSize = BlockSize,
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

        // Most files (transcripts, summaries, the manifest) fit in one transfer block: read whole, they are written by one
        // Put Blob with their checksum already in the metadata, where a stream of unknown length costs Put Block,
        // Put Block List and Set Blob Metadata (three billed writes instead of one).
        var head = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            var headLength = await hashing.ReadAtLeastAsync(head.AsMemory(0, BlockSize), BlockSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (headLength < BlockSize)
            {
                var sha256 = hashing.Sha256Hex();
                allMetadata[Sha256Key] = sha256;
                await WriteAsync(blob, new MemoryStream(head, 0, headLength, writable: false), contentType, allMetadata, cancellationToken).ConfigureAwait(false);
                return new CopiedBlob(blobName, assetId, contentType, headLength, sha256);
            }

            await WriteAsync(blob, new HeadThenRest(head.AsMemory(0, headLength), hashing), contentType, allMetadata, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }

        // The checksum is known only once the stream is read; it also marks the copy as complete for FindCopyAsync.
        var checksum = hashing.Sha256Hex();
        allMetadata[Sha256Key] = checksum;
        await blob.SetMetadataAsync(allMetadata, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new CopiedBlob(blobName, assetId, contentType, hashing.BytesRead, checksum);
    }

    private async Task WriteAsync(BlobClient blob, Stream content, string contentType, Dictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(content, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                Metadata = metadata,
                TransferOptions = Transfer,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // Deleted since we created it: create it again on the next attempt (the stream can't be replayed here).
            container = null;
            throw;
        }
    }

    /// <summary>The bytes already read from a stream, then the rest of it.</summary>
    private sealed class HeadThenRest(ReadOnlyMemory<byte> head, Stream rest) : ReadOnlyStream
    {
        private ReadOnlyMemory<byte> unread = head;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (unread.IsEmpty) return rest.Read(buffer);
            var n = Math.Min(buffer.Length, unread.Length);
            unread.Span[..n].CopyTo(buffer);
            unread = unread[n..];
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            unread.IsEmpty ? rest.ReadAsync(buffer, cancellationToken) : ValueTask.FromResult(Read(buffer.Span));
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
