namespace RecordingFunctions.HmsSimulator;

public enum SummaryShape
{
    /// <summary><c>{"sections":[...]}</c>, as consumers of the real service read it (hms-api.md §11.8).</summary>
    Bare,
    /// <summary><c>{"summary":{"sections":[...]}}</c>, as 100ms's docs show it.</summary>
    Wrapped,
}

/// <summary>How whole numbers are written in webhooks and API answers: real 100ms sends <c>56</c>, <c>56.0</c> or <c>"56"</c>.</summary>
public enum NumberStyle
{
    Integers,
    Decimals,
    Strings,
}

/// <summary>Configuration section <c>Simulator</c> (environment variables <c>Simulator__*</c>).</summary>
public sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    /// <summary>The app access key management tokens must carry (24 hex).</summary>
    public string AccessKey { get; set; } = "64b0c0ffee0000000000a001";

    /// <summary>The app secret management tokens are signed with (HS256, any length, as 100ms's server SDKs sign).</summary>
    public string AppSecret { get; set; } = "local-simulator-app-secret-change-me-0123456789";

    public string AccountId { get; set; } = "64b0c0ffee0000000000acc1";
    public string AppId { get; set; } = "64b0c0ffee0000000000a991";

    /// <summary>Where webhooks are posted; none are sent when empty.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Headers passed through unchanged on every webhook, as configured in 100ms's dashboard.</summary>
    public Dictionary<string, string> WebhookHeaders { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Simulated seconds per real second: at 600 a one-hour recording is processed in six seconds.</summary>
    public double TimeScale { get; set; } = 1;

    public TimeSpan StartDelay { get; set; } = TimeSpan.FromSeconds(12);
    public TimeSpan PostProcessingDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromHours(4);
    public TimeSpan TranscriptionFloor { get; set; } = TimeSpan.FromMinutes(5);
    public double TranscriptionRatio { get; set; } = 0.2;

    /// <summary>Bytes of the synthetic room-composite file.</summary>
    public long CompositeSize { get; set; } = 256 * 1024;

    public SummaryShape SummaryShape { get; set; } = SummaryShape.Bare;

    public NumberStyle NumberStyle { get; set; } = NumberStyle.Integers;

    /// <summary>
    /// Whether the rooms' template transcribes and summarises recordings whose start body has no <c>transcription</c>
    /// (then <c>asset_types</c> does not list them); per room with <c>SimulatorEngine.SetRoomTemplate</c>.
    /// </summary>
    public bool TemplateTranscription { get; set; }

    /// <summary>
    /// Whether <c>beam.*</c> events carry the recording id as their <c>job_id</c> (the default); if not, both
    /// <c>job_id</c> and <c>beam_id</c> are ids of their own and only events naming <c>recording_id</c> tie them to it.
    /// </summary>
    public bool JobIdIsRecordingId { get; set; } = true;

    /// <summary>Real delays between webhook attempts after a non-200 answer (not scaled).</summary>
    public List<TimeSpan> WebhookRetryDelays { get; set; } = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10)];

    /// <summary>Validity of presigned URLs when the request gives no <c>presign_duration</c> (100ms: 3 days).</summary>
    public TimeSpan DefaultPresignDuration { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How long 100ms keeps files in its storage (15 days): older assets answer 404 for URLs and 410 for downloads.</summary>
    public TimeSpan AssetRetention { get; set; } = TimeSpan.FromDays(15);

    /// <summary>Real time, from simulated time.</summary>
    public TimeSpan Real(TimeSpan simulated) => TimeSpan.FromTicks((long)(simulated.Ticks / Math.Max(TimeScale, 1e-9)));
}
