namespace RecordingFunctions.Pipeline;

/// <summary>
/// How long a pipeline waits for 100ms, and how it retries. Configuration section <c>Pipeline</c>.
/// A snapshot travels in each pipeline's input, so a running orchestration replays with the values it started with.
/// </summary>
public sealed record PipelineOptions
{
    public const string Section = "Pipeline";

    /// <summary>The longest a recording can run (100ms template <c>maxDuration</c>, default 4 h).</summary>
    public TimeSpan MaxRecordingDuration { get; init; } = TimeSpan.FromHours(4);

    /// <summary>Added to the maximum duration (and to the upload after a stop) before 100ms is asked instead of waited for.</summary>
    public TimeSpan RecordingEndMargin { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Transcription timeout = max(<see cref="TranscriptionTimeoutFloor"/>, ratio × duration) + grace.</summary>
    public TimeSpan TranscriptionTimeoutFloor { get; init; } = TimeSpan.FromMinutes(5);
    public double TranscriptionTimeoutRatio { get; init; } = 0.2;
    public TimeSpan TranscriptionTimeoutGrace { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long 100ms keeps being asked, with backoff, whether a stopped recording has finished uploading, before the
    /// pipeline gives up (long recordings can take hours).
    /// </summary>
    public TimeSpan PostProcessingBudget { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Without transcription in the start request, how long to wait after the recording for transcription events
    /// before concluding the room's template does not transcribe either.
    /// </summary>
    public TimeSpan TranscriptionStartWait { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>When webhooks don't come, how often and how many times the assets are polled before giving up.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMinutes(2);
    public int MaxPolls { get; init; } = 15;

    /// <summary>Durable retries of calls to 100ms and Blob Storage that failed with a transient error.</summary>
    public int RetryAttempts { get; init; } = 6;
    public TimeSpan RetryFirstInterval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan RetryMaxInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Real seconds per 100ms second are divided by this: 1 in production; the simulator's time scale in demos and tests,
    /// so that a one-hour recording's waits shrink with it. Retries are not scaled.
    /// </summary>
    public double TimeScale { get; init; } = 1;

    /// <summary>What is wrong with these settings; checked when the app starts.</summary>
    public IEnumerable<string> Problems()
    {
        if (MaxRecordingDuration <= TimeSpan.Zero) yield return "Pipeline:MaxRecordingDuration must be positive.";
        if (RecordingEndMargin < TimeSpan.Zero) yield return "Pipeline:RecordingEndMargin must not be negative.";
        if (TranscriptionTimeoutFloor < TimeSpan.Zero || TranscriptionTimeoutGrace < TimeSpan.Zero)
            yield return "Pipeline:TranscriptionTimeoutFloor and Pipeline:TranscriptionTimeoutGrace must not be negative.";
        if (PostProcessingBudget <= TimeSpan.Zero) yield return "Pipeline:PostProcessingBudget must be positive.";
        if (TranscriptionStartWait < TimeSpan.Zero) yield return "Pipeline:TranscriptionStartWait must not be negative.";
        if (TranscriptionTimeoutRatio is < 0 or > 10) yield return "Pipeline:TranscriptionTimeoutRatio must be from 0 to 10.";
        if (PollInterval <= TimeSpan.Zero || MaxPolls < 0) yield return "Pipeline:PollInterval must be positive and Pipeline:MaxPolls not negative.";
        if (RetryAttempts < 1) yield return "Pipeline:RetryAttempts must be at least 1.";
        if (RetryFirstInterval <= TimeSpan.Zero || RetryMaxInterval < RetryFirstInterval)
            yield return "Pipeline:RetryFirstInterval must be positive and at most Pipeline:RetryMaxInterval.";
        if (!(TimeScale > 0)) yield return "Pipeline:TimeScale must be positive.";
    }

    public TimeSpan Scaled(TimeSpan simulated) => TimeSpan.FromTicks((long)(simulated.Ticks / Math.Max(TimeScale, 1e-9)));

    /// <summary>max(floor, ratio × duration) + grace, in 100ms time (not yet scaled).</summary>
    public TimeSpan TranscriptionTimeout(TimeSpan recordingDuration)
    {
        var proportional = TimeSpan.FromTicks((long)(recordingDuration.Ticks * TranscriptionTimeoutRatio));
        return (proportional > TranscriptionTimeoutFloor ? proportional : TranscriptionTimeoutFloor) + TranscriptionTimeoutGrace;
    }
}
