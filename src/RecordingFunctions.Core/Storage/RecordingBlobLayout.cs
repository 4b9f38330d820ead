using RecordingFunctions.Hms;

namespace RecordingFunctions.Storage;

/// <summary>
/// Where each file of a recording goes in the recordings container:
/// <c>{room_id}/{recording_id}/transcript.txt|.srt|.json</c>, <c>summary.json</c>, <c>summary.md</c>, <c>manifest.json</c>.
/// </summary>
public static class RecordingBlobLayout
{
    public const string SummaryJson = "summary.json";
    public const string SummaryMarkdown = "summary.md";
    public const string Manifest = "manifest.json";

    public static string Prefix(string roomId, string recordingId)
    {
        // The ids come from 100ms and from requests: only 100ms's id format may shape a blob name.
        if (!HmsLimits.IsHmsId(roomId)) throw new ArgumentException("Room id is not a 100ms id.", nameof(roomId));
        if (!HmsLimits.IsHmsId(recordingId)) throw new ArgumentException("Recording id is not a 100ms id.", nameof(recordingId));
        return $"{roomId}/{recordingId}/";
    }

    public static string BlobName(string roomId, string recordingId, string fileName) => Prefix(roomId, recordingId) + fileName;

    /// <summary>The file name of a transcript or summary asset, or null for assets this product does not copy.</summary>
    public static string? FileNameOf(string assetType, string? outputMode) => (assetType, outputMode) switch
    {
        (HmsAssetTypes.Transcript, "txt" or "srt" or "json") => $"transcript.{outputMode}",
        (HmsAssetTypes.Summary, _) => SummaryJson,
        _ => null,
    };

    /// <summary>The metadata every blob of a recording carries.</summary>
    public static Dictionary<string, string> Metadata(string roomId, string? sessionId, string recordingId) => new()
    {
        ["room_id"] = roomId,
        ["session_id"] = sessionId ?? "",
        ["recording_id"] = recordingId,
    };

    public static string ContentTypeOf(string fileName) => Path.GetExtension(fileName) switch
    {
        ".txt" => "text/plain; charset=utf-8",
        ".srt" => "application/x-subrip; charset=utf-8",
        ".json" => "application/json; charset=utf-8",
        ".md" => "text/markdown; charset=utf-8",
        _ => "application/octet-stream",
    };
}
