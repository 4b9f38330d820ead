namespace RecordingFunctions.HmsSimulator;

/// <summary>The endpoints a fault can target.</summary>
public static class Endpoints
{
    public const string Start = "start";
    public const string StopRoom = "stop_room";
    public const string StopRecording = "stop_recording";
    public const string GetRecording = "get_recording";
    public const string ListRecordings = "list_recordings";
    public const string GetAsset = "get_asset";
    public const string ListAssets = "list_assets";
    public const string PresignedUrl = "presigned_url";
    public const string Download = "download";
}

/// <summary>Misbehaviour a test scripts. Every field is optional; <c>POST /admin/faults</c> takes the same JSON.</summary>
public sealed class FaultSettings
{
    /// <summary>Answer these endpoints with a status (and a 100ms error body) for their next calls.</summary>
    public List<EndpointFault> Endpoints { get; set; } = [];

    /// <summary>Webhook event types never delivered ("*" for all).</summary>
    public List<string> DropWebhooks { get; set; } = [];

    /// <summary>Deliver every webhook twice.</summary>
    public bool DuplicateWebhooks { get; set; }

    /// <summary>Hold beam.recording.success back until the transcription events were delivered.</summary>
    public bool ReorderWebhooks { get; set; }

    /// <summary>Output modes whose transcription fails (txt, srt, json, summary): a transcription.failure follows.</summary>
    public List<string> FailTranscriptionOutputs { get; set; } = [];

    /// <summary>Transcription is asked for but never produced: no transcript assets, no transcription events.</summary>
    public bool NoTranscription { get; set; }

    /// <summary>The summary file's content, instead of the generated one (for odd or broken summaries).</summary>
    public string? SummaryFile { get; set; }

    /// <summary>Recordings stay running forever: no max duration, no webhooks, until stopped through the API.</summary>
    public bool NeverEndRecordings { get; set; }

    /// <summary>The next N downloads send half their bytes, then cut the connection.</summary>
    public int TruncateDownloads { get; set; }

    /// <summary>The next N presigned URLs are already expired.</summary>
    public int ExpiredPresignedUrls { get; set; }

    /// <summary>Downloads are throttled to this many bytes per second (0 = no limit).</summary>
    public long DownloadBytesPerSecond { get; set; }
}

public sealed class EndpointFault
{
    public string Endpoint { get; set; } = "";
    public int Status { get; set; } = 503;
    public int Count { get; set; } = 1;
    public string? Message { get; set; }
}
