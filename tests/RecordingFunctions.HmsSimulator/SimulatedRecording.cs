using System.Text.Json.Nodes;

namespace RecordingFunctions.HmsSimulator;

/// <summary>A recording job as the simulator keeps it; guarded by the simulator's lock.</summary>
public sealed class SimulatedRecording
{
    public required string Id { get; init; }
    /// <summary>The <c>beam_id</c> of its <c>beam.*</c> events: an id of its own.</summary>
    public required string BeamId { get; init; }
    /// <summary>The <c>job_id</c> of its <c>beam.*</c> events (the recording id unless <c>JobIdIsRecordingId</c> is off).</summary>
    public required string JobId { get; init; }
    public required string RoomId { get; init; }
    public required string SessionId { get; init; }
    public string Status { get; set; } = "starting";
    /// <summary>How many times the API was asked to stop it (per recording or per room).</summary>
    public int StopRequests { get; set; }
    /// <summary>Transcription came from the room's template, not the start body: <c>asset_types</c> does not list it.</summary>
    public bool TranscriptionFromTemplate { get; init; }
    /// <summary>Transcription was asked for but is never produced (fault <c>NoTranscription</c>).</summary>
    public bool TranscriptionNeverComes { get; init; }
    public string? MeetingUrl { get; init; }
    public string? Destination { get; init; }
    public bool AudioOnly { get; init; }
    public int Width { get; init; } = 1280;
    public int Height { get; init; } = 720;
    public bool TranscriptionEnabled { get; init; }
    public List<string> OutputModes { get; init; } = [];
    public bool SummaryEnabled { get; init; }
    public List<(string Title, string Format)> SummarySections { get; init; } = [];
    public required DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? StoppedAt { get; set; }
    public string StopReason { get; set; } = "client request";
    /// <summary>Simulated seconds recorded.</summary>
    public int Duration { get; set; }
    public List<SimulatedAsset> Assets { get; } = [];
    public string? TranscriptionId { get; set; }
    /// <summary>Never ends by itself and sends no webhooks (fault <c>NeverEndRecordings</c>).</summary>
    public bool Silent { get; init; }

    /// <summary>Moves every time of the recording and its assets back, as if it had happened <paramref name="by"/> earlier.</summary>
    public void Age(TimeSpan by)
    {
        CreatedAt -= by;
        UpdatedAt -= by;
        StartedAt -= by;
        StoppedAt -= by;
        foreach (var asset in Assets) asset.CreatedAt -= by;
    }

    public bool IsActive => Status is "starting" or "running" or "stopping";

    public List<string> AssetTypes => TranscriptionEnabled && !TranscriptionFromTemplate
        ? SummaryEnabled ? ["room-composite", "chat", "transcript", "summary"] : ["room-composite", "chat", "transcript"]
        : ["room-composite", "chat"];

    public JsonObject ToJson(bool withAssets) => new()
    {
        ["id"] = Id,
        ["room_id"] = RoomId,
        ["session_id"] = SessionId,
        ["status"] = Status,
        ["meeting_url"] = MeetingUrl ?? "",
        ["destination"] = Destination ?? "",
        ["created_at"] = Time(CreatedAt),
        ["started_at"] = Time(StartedAt),
        ["started_by"] = "",
        ["stopped_at"] = Time(StoppedAt),
        ["stopped_by"] = "",
        ["updated_at"] = Time(UpdatedAt),
        ["asset_types"] = new JsonArray([.. AssetTypes.Select(t => (JsonNode)t)]),
        ["recording_assets"] = withAssets && Assets.Count > 0 ? new JsonArray([.. Assets.Select(a => (JsonNode)a.ToJson(embedded: true))]) : null,
    };

    /// <summary>RFC 3339 UTC with nanoseconds, as 100ms writes them.</summary>
    public static string? Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'");
}

public sealed class SimulatedAsset
{
    public required string Id { get; init; }
    public required SimulatedRecording Recording { get; init; }
    public required string Type { get; init; }
    public string? OutputMode { get; init; }
    public string Status { get; set; } = "processing";
    public required DateTimeOffset CreatedAt { get; set; }
    public byte[]? Content { get; set; }
    /// <summary>For the composite: generated on download rather than held in memory.</summary>
    public long SyntheticSize { get; init; }

    public long Size => Content?.LongLength ?? SyntheticSize;

    public string FileName => Type switch
    {
        "room-composite" => Recording.AudioOnly ? "composite.mp3" : "composite.mp4",
        "chat" => "chat.csv",
        "summary" => "summary.json",
        _ => $"transcript.{OutputMode}",
    };

    public string Path => $"s3://hms-simulator/{Recording.RoomId}/{Recording.Id}/{FileName}";

    public JsonObject ToJson(bool embedded)
    {
        var json = new JsonObject
        {
            ["id"] = Id,
            ["type"] = Type,
            ["status"] = Status,
            ["path"] = Path,
            ["size"] = Status == "completed" ? Size : 0,
            ["duration"] = Type is "room-composite" or "transcript" or "summary" ? Recording.Duration : 0,
            ["created_at"] = SimulatedRecording.Time(CreatedAt),
            ["thumbnails"] = null,
            ["metadata"] = Type switch
            {
                "room-composite" when !Recording.AudioOnly => new JsonObject
                {
                    ["resolution"] = new JsonObject { ["width"] = Recording.Width, ["height"] = Recording.Height },
                },
                "transcript" or "summary" => new JsonObject { ["output_mode"] = OutputMode },
                _ => new JsonObject(),
            },
        };
        if (!embedded)
        {
            json["job_id"] = Recording.Id;
            json["room_id"] = Recording.RoomId;
            json["session_id"] = Recording.SessionId;
        }
        return json;
    }
}

/// <summary>An RTMP streaming job in a room: it shares the room's <c>beam.*</c> events but records nothing.</summary>
public sealed class SimulatedStream
{
    public required string Id { get; init; }
    public required string BeamId { get; init; }
    public required string RoomId { get; init; }
    public required string SessionId { get; init; }
    public required IReadOnlyList<string> RtmpUrls { get; init; }
    public string Status { get; set; } = "running";
}
