namespace RecordingFunctions.Pipeline;

/// <summary>
/// 100ms answered 404 or 410 for a recording, an asset or its download: the file is gone (past 100ms's retention) and
/// no retry brings it back. The pipeline ends in <see cref="PipelinePhase.Expired"/> instead of retrying.
/// </summary>
public sealed class GoneFromHmsException(string message, Exception? inner = null) : Exception(message, inner)
{
    public static bool IsGone(int? status) => status is 404 or 410;
}
