using System.Text.Json.Serialization;

namespace RecordingFunctions.Hms;

/// <summary>A 100ms recording job (<c>/v2/recordings</c>).</summary>
public sealed record HmsRecording
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("room_id")] public string? RoomId { get; init; }
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    /// <summary>One of <see cref="HmsRecordingStatus"/>.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("meeting_url")] public string? MeetingUrl { get; init; }
    [JsonPropertyName("destination")] public string? Destination { get; init; }
    [JsonPropertyName("asset_types")] public IReadOnlyList<string>? AssetTypes { get; init; }
    /// <summary>Null until assets exist, and always left out of list responses.</summary>
    [JsonPropertyName("recording_assets")] public IReadOnlyList<HmsRecordingAsset>? RecordingAssets { get; init; }
    [JsonPropertyName("created_at"), JsonConverter(typeof(HmsTimestampConverter))] public DateTimeOffset? CreatedAt { get; init; }
    [JsonPropertyName("started_at"), JsonConverter(typeof(HmsTimestampConverter))] public DateTimeOffset? StartedAt { get; init; }
    [JsonPropertyName("stopped_at"), JsonConverter(typeof(HmsTimestampConverter))] public DateTimeOffset? StoppedAt { get; init; }
}

/// <summary>A file a recording produced (<c>/v2/recording-assets</c>).</summary>
public sealed record HmsRecordingAsset
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    /// <summary>One of <see cref="HmsAssetTypes"/>.</summary>
    [JsonPropertyName("type")] public string? Type { get; init; }
    /// <summary>One of <see cref="HmsAssetStatus"/>.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("size")] public long? Size { get; init; }
    /// <summary>Seconds, for the room composite.</summary>
    [JsonPropertyName("duration")] public int? Duration { get; init; }
    [JsonPropertyName("metadata")] public HmsAssetMetadata? Metadata { get; init; }
}

public sealed record HmsAssetMetadata
{
    /// <summary><c>txt</c>, <c>srt</c> or <c>json</c> for transcripts; <c>json</c> for summaries.</summary>
    [JsonPropertyName("output_mode")] public string? OutputMode { get; init; }
    [JsonPropertyName("resolution")] public RecordingResolution? Resolution { get; init; }
}

/// <summary>One page of a 100ms list: pass <see cref="Last"/> as the next request's <c>start</c>.</summary>
public sealed record HmsPage<T>
{
    [JsonPropertyName("limit")] public int Limit { get; init; }
    [JsonPropertyName("data")] public IReadOnlyList<T> Data { get; init; } = [];
    [JsonPropertyName("last")] public string? Last { get; init; }

    /// <summary>100ms returns fewer objects than the limit on the last page.</summary>
    public bool HasMore => Data.Count > 0 && Data.Count >= Limit && !string.IsNullOrEmpty(Last);
}

/// <summary>A time-limited download link for an asset.</summary>
public sealed record HmsPresignedUrl
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("path")] public string? Path { get; init; }
    [JsonPropertyName("url")] public string Url { get; init; } = "";
    /// <summary>Validity in seconds.</summary>
    [JsonPropertyName("expiry")] public long? Expiry { get; init; }

    // The URL's signature is a bearer credential for the file: keep it out of logs.
    public override string ToString() => $"HmsPresignedUrl {{ Id = {Id}, Expiry = {Expiry} }}";
}

public sealed record RecordingListQuery
{
    public string? RoomId { get; init; }
    public string? SessionId { get; init; }
    public string? Status { get; init; }
    public string? Start { get; init; }
    /// <summary>10 to 100; 100ms's default is 10.</summary>
    public int? Limit { get; init; }
}

public static class HmsRecordingStatus
{
    public const string Starting = "starting";
    public const string Running = "running";
    public const string Stopping = "stopping";
    public const string PostProcessing = "post_processing";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

public static class HmsAssetTypes
{
    public const string RoomComposite = "room-composite";
    public const string Chat = "chat";
    public const string Transcript = "transcript";
    public const string Summary = "summary";
}

public static class HmsAssetStatus
{
    public const string Processing = "processing";
    public const string Completed = "completed";
    public const string Failed = "failed";
}
