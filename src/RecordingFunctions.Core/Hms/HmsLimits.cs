using System.Diagnostics.CodeAnalysis;

namespace RecordingFunctions.Hms;

/// <summary>100ms's documented limits for a start request (docs/hms-api.md §3.2) and its id format (§1).</summary>
public static class HmsLimits
{
    public const int MaxSummarySections = 6;
    public const int MaxSummaryContextLength = 300;
    public const int MaxSectionTitleLength = 100;
    public const double MinTemperature = 0.1;
    public const double MaxTemperature = 1.0;
    public static readonly IReadOnlyList<string> OutputModes = ["txt", "srt", "json"];
    public static readonly IReadOnlyList<string> SectionFormats = ["bullets", "paragraph"];

    // Resolution bounds carried over from 100ms's Beam endpoints: 500x480..1920x1080 landscape, 500x500..1080x1920 portrait.
    public const int MinWidth = 500;
    public const int MinHeight = 480;
    public const int MaxLongSide = 1920;
    public const int MaxShortSide = 1080;

    /// <summary>Room, session, recording and asset ids are 24 lowercase hex characters.</summary>
    public static bool IsHmsId([NotNullWhen(true)] string? value) =>
        value is { Length: 24 } && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
