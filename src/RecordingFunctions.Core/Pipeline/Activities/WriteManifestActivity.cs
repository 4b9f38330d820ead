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
        var metadata = new Dictionary<string, string>
        {
            ["room_id"] = manifest.RoomId,
            ["session_id"] = manifest.SessionId ?? "",
            ["recording_id"] = manifest.RecordingId,
        };
        return await archive.UploadAsync(blobName, content, metadata, assetId: null, cancellationToken);
    }
}
