namespace RecordingFunctions.Archive;

/// <summary>Which recordings of the 100ms workspace are archived.</summary>
public enum ArchiveScope
{
    /// <summary>Every recording whose webhooks reach the app or that a sweep finds, wherever it was started.</summary>
    All,

    /// <summary>Only recordings this app started (the API and calendars).</summary>
    Started,
}

/// <summary>Configuration section <c>Archive</c>: archiving recordings that were started elsewhere, and the catch-up sweep.</summary>
public sealed record ArchiveOptions
{
    public const string Section = "Archive";

    /// <summary><c>All</c> (default) or <c>Started</c>.</summary>
    public ArchiveScope Recordings { get; init; } = ArchiveScope.All;

    /// <summary>How far back the timer's sweep (<c>ArchiveSweepSchedule</c>) looks: longer than any outage it should make up for.</summary>
    public TimeSpan SweepLookBack { get; init; } = TimeSpan.FromDays(3);

    /// <summary>How long <c>POST /api/archive/sweep</c> waits for the sweep before answering with what it counted so far.</summary>
    public TimeSpan SweepAnswerWait { get; init; } = TimeSpan.FromSeconds(20);

    public IEnumerable<string> Problems()
    {
        if (!Enum.IsDefined(Recordings)) yield return "Archive:Recordings must be All or Started.";
        if (SweepLookBack <= TimeSpan.Zero || SweepLookBack > TimeSpan.FromDays(90)) yield return "Archive:SweepLookBack must be from 1 second to 90 days.";
        if (SweepAnswerWait < TimeSpan.Zero || SweepAnswerWait > TimeSpan.FromMinutes(2)) yield return "Archive:SweepAnswerWait must be from 0 to 2 minutes.";
    }
}
