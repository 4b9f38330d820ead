using System.Text.Json.Serialization;

namespace RecordingFunctions.Storage;

/// <summary>A blob a pipeline wrote, as listed in the manifest.</summary>
public sealed record CopiedBlob(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("asset_id")] string? AssetId,
    [property: JsonPropertyName("content_type")] string ContentType,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("sha256")] string Sha256);
