namespace RecordingFunctions.Pipeline;

/// <summary>
/// A failure another attempt cannot fix: 100ms refused the call (a 4xx), or a download URL points to a host that is
/// not allowed. The pipeline's retry policy gives up on it at once; every other failure is retried with backoff.
/// </summary>
public sealed class PermanentFailureException(string message, Exception? inner = null) : Exception(message, inner);
