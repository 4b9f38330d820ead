using System.Text.Json;
using RecordingFunctions.Storage;

namespace RecordingFunctions.Pipeline.Activities;

/// <summary>Writes <c>manifest.json</c>: what was copied, sizes, checksums, the 100ms timings and the final phase.</summary>
public sealed class WriteManifestActivity(RecordingArchive archive)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public async Task<CopiedBlob> RunAsync(RecordingManifest manifest, CancellationToken cancellationToken)
    {
        var blobName = RecordingBlobLayout.BlobName(manifest.RoomId, manifest.RecordingId, RecordingBlobLayout.Manifest);
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(manifest, Indented));
        return await archive.UploadAsync(blobName, content,
            RecordingBlobLayout.Metadata(manifest.RoomId, manifest.SessionId, manifest.RecordingId), assetId: null, cancellationToken);
    }
}
