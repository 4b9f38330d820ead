using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RecordingFunctions.Telemetry;

namespace RecordingFunctions.Hms;

/// <summary>
/// The 100ms server-side REST API (v2) for recordings and their assets. Failures throw <see cref="HmsApiException"/>;
/// the client does not retry them (the caller's Durable retry policy does), except that a 401 re-mints the management
/// token once and repeats the call, like 100ms's own SDKs.
/// </summary>
public class HmsClient
{
    private readonly HttpClient http;
    private readonly IHmsManagementTokenProvider tokens;
    private readonly ILogger<HmsClient> logger;

    public HmsClient(HttpClient http, IHmsManagementTokenProvider tokens, ILogger<HmsClient> logger)
    {
        ArgumentNullException.ThrowIfNull(http.BaseAddress, "http.BaseAddress");
        this.http = http;
        this.tokens = tokens;
        this.logger = logger;
    }

    /// <summary>For mocking.</summary>
    protected HmsClient()
    {
        http = null!;
        tokens = null!;
        logger = null!;
    }

    /// <summary><c>POST /recordings/room/{room_id}/start</c>: returns the job, status <c>starting</c>.</summary>
    public virtual Task<HmsRecording> StartRecordingAsync(string roomId, StartRecordingRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<HmsRecording>(HttpMethod.Post, $"recordings/room/{Id(roomId)}/start", request ?? new StartRecordingRequest(), cancellationToken);

    /// <summary><c>POST /recordings/{id}/stop</c></summary>
    public virtual Task<HmsRecording> StopRecordingAsync(string recordingId, CancellationToken cancellationToken = default) =>
        SendAsync<HmsRecording>(HttpMethod.Post, $"recordings/{Id(recordingId)}/stop", EmptyBody, cancellationToken);

    /// <summary><c>GET /recordings/{id}</c>, with its assets.</summary>
    public virtual Task<HmsRecording> GetRecordingAsync(string recordingId, CancellationToken cancellationToken = default) =>
        SendAsync<HmsRecording>(HttpMethod.Get, $"recordings/{Id(recordingId)}", null, cancellationToken);

    /// <summary><c>GET /recordings</c>: one page; list items carry no assets.</summary>
    public virtual Task<HmsPage<HmsRecording>> ListRecordingsAsync(RecordingListQuery query, CancellationToken cancellationToken = default) =>
        SendAsync<HmsPage<HmsRecording>>(HttpMethod.Get, "recordings" + Query(
            ("room_id", query.RoomId), ("session_id", query.SessionId), ("status", query.Status),
            ("start", query.Start), ("limit", query.Limit?.ToString())), null, cancellationToken);

    /// <summary><c>GET /recording-assets/{id}/presigned-url</c>: a download link valid for <paramref name="presignDuration"/>.</summary>
    public virtual Task<HmsPresignedUrl> GetPresignedUrlAsync(string assetId, TimeSpan? presignDuration = null, CancellationToken cancellationToken = default) =>
        SendAsync<HmsPresignedUrl>(HttpMethod.Get, $"recording-assets/{Id(assetId)}/presigned-url" + Query(
            ("presign_duration", presignDuration is { } d ? ((long)d.TotalSeconds).ToString() : null)), null, cancellationToken);

    private static readonly object EmptyBody = new { };

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        var operation = $"{method} {path.Split('?')[0]}";
        var operationName = RecordingFunctionsTelemetry.HmsOperation(method, path);
        using var span = RecordingFunctionsTelemetry.StartSpan("100ms " + operationName, kind: System.Diagnostics.ActivityKind.Client);
        span?.SetTag("hms.operation", operationName);
        var forceRefresh = false;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
                await tokens.GetTokenAsync(forceRefresh, cancellationToken).ConfigureAwait(false));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: HmsJson.Options);

            HttpResponseMessage response;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                RecordingFunctionsTelemetry.HmsCallCompleted(operationName, null, System.Diagnostics.Stopwatch.GetElapsedTime(started));
                RecordingFunctionsTelemetry.Failed(span, e);
                throw new HmsApiException(operation, null, null, null, null, e);
            }
            RecordingFunctionsTelemetry.HmsCallCompleted(operationName, (int)response.StatusCode, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            if (!response.IsSuccessStatusCode) span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, $"{(int)response.StatusCode}");

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 1 && tokens.CanRefresh)
                {
                    logger.LogInformation("100ms refused the management token for {Operation}; minting a new one", operation);
                    forceRefresh = true;
                    continue;
                }
                if (!response.IsSuccessStatusCode) throw await ErrorOf(operation, response, cancellationToken).ConfigureAwait(false);
                try
                {
                    return await response.Content.ReadFromJsonAsync<T>(HmsJson.Options, cancellationToken).ConfigureAwait(false)
                        ?? throw new JsonException("The answer was null.");
                }
                catch (Exception e) when (e is JsonException or HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
                {
                    // A broken body from a 2xx: 100ms or the network misbehaved, worth another try.
                    throw new HmsApiException(operation, 502, null, $"unreadable answer: {e.Message}", null, e);
                }
            }
        }
    }

    private static async Task<HmsApiException> ErrorOf(string operation, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        int? code = null;
        string? message = null;
        IReadOnlyList<string>? details = null;
        try
        {
            var error = await response.Content.ReadFromJsonAsync<HmsError>(HmsJson.Options, cancellationToken).ConfigureAwait(false);
            (code, message, details) = (error?.Code, error?.Message, error?.Details);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or HttpRequestException or IOException)
        {
            // Not 100ms's error shape (a proxy's HTML page, say): the status is all we know.
        }
        return new HmsApiException(operation, (int)response.StatusCode, code, message, details);
    }

    /// <summary>Ids go into URL paths: only 100ms's id format is accepted, so no input can change the path.</summary>
    private static string Id(string id, [CallerArgumentExpression(nameof(id))] string? name = null) =>
        HmsLimits.IsHmsId(id) ? id : throw new ArgumentException($"{name} must be a 100ms id (24 lowercase hex characters).", name);

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).ToList();
        return present.Count == 0
            ? ""
            : "?" + string.Join("&", present.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));
    }

    private sealed record HmsError(int? Code, string? Message, IReadOnlyList<string>? Details);
}
