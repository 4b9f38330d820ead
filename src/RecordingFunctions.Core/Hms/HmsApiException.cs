using System.Net;

namespace RecordingFunctions.Hms;

/// <summary>
/// A call to the 100ms API that failed: an error answer, a timeout or a connection failure. The message names the
/// call and 100ms's answer; it never contains the management token or any secret.
/// </summary>
public sealed class HmsApiException : Exception
{
    public HmsApiException(string operation, int? statusCode, int? code, string? hmsMessage, IReadOnlyList<string>? details, Exception? inner = null)
        : base(Describe(operation, statusCode, hmsMessage, details, inner), inner)
    {
        Operation = operation;
        StatusCode = statusCode;
        Code = code;
        HmsMessage = hmsMessage;
        Details = details ?? [];
    }

    /// <summary>The method and path called, e.g. <c>POST recordings/room/{id}/start</c>.</summary>
    public string Operation { get; }

    /// <summary>The HTTP status, or null when no answer came (timeout, connection failure).</summary>
    public int? StatusCode { get; }

    /// <summary>100ms's error <c>code</c>, usually the HTTP status again.</summary>
    public int? Code { get; }

    /// <summary>100ms's error <c>message</c>, e.g. <c>beam already started</c>.</summary>
    public string? HmsMessage { get; }

    /// <summary>100ms's error <c>details</c>.</summary>
    public IReadOnlyList<string> Details { get; }

    /// <summary>Worth trying again later: 408, 429, 5xx, timeouts and connection failures.</summary>
    public bool IsRetryable => StatusCode is null or 408 or 429 or >= 500;

    private static string Describe(string operation, int? status, string? message, IReadOnlyList<string>? details, Exception? inner)
    {
        var answer = status is null
            ? $"no answer ({inner?.GetType().Name ?? "connection failed"})"
            : $"{status} {(HttpStatusCode)status.Value}";
        var text = $"100ms {operation} failed: {answer}";
        if (!string.IsNullOrEmpty(message)) text += $": {message}";
        if (details is { Count: > 0 }) text += $" ({string.Join("; ", details)})";
        return text;
    }
}
