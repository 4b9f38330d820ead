using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecordingFunctions.Archive;
using RecordingFunctions.Hms;
using RecordingFunctions.Pipeline;
using RecordingFunctions.Telemetry;
using static RecordingFunctions.Telemetry.RecordingFunctionsTelemetry;

namespace RecordingFunctions.Api;

/// <summary>
/// <c>POST /api/webhooks/100ms</c>: authenticates 100ms's custom header, and hands each recording or transcription
/// event to the pipelines of its room. It answers fast: nothing is downloaded here.
/// </summary>
public sealed class HmsWebhookReceiver(
    IHmsSecretStore secrets, IOptions<HmsOptions> options, PipelineStore store, RecordingArchiver archiver,
    ILogger<HmsWebhookReceiver> logger)
{
    public const int MaxBodyBytes = 256 * 1024;

    public async Task<IActionResult> ReceiveAsync(HttpRequest request, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        if (!await IsFromHmsAsync(request, cancellationToken))
        {
            RecordingFunctionsTelemetry.WebhookReceived(WebhookOutcomes.Unauthorized, null);
            return Problems.Of(StatusCodes.Status401Unauthorized, "The webhook secret header is missing or wrong.");
        }

        var body = await HttpBodies.ReadLimitedAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            RecordingFunctionsTelemetry.WebhookReceived(WebhookOutcomes.Invalid, null);
            return Problems.TooLarge("A webhook", MaxBodyBytes);
        }
        if (!HmsWebhookEvent.TryParse(body, out var hmsEvent, out var parseError))
        {
            RecordingFunctionsTelemetry.WebhookReceived(WebhookOutcomes.Invalid, null);
            return Problems.Validation([("body", parseError)], "The webhook body is not a 100ms event.");
        }
        if (!HmsWebhookEventTypes.IsPipelineEvent(hmsEvent.Type))
        {
            RecordingFunctionsTelemetry.WebhookReceived(WebhookOutcomes.Ignored, hmsEvent.Type);
            return new OkObjectResult(new { ignored = hmsEvent.Type });
        }
        if (!HmsLimits.IsHmsId(hmsEvent.Data.RoomId))
        {
            RecordingFunctionsTelemetry.WebhookReceived(WebhookOutcomes.Invalid, hmsEvent.Type);
            return Problems.Validation([("data.room_id", "A recording event must carry a 100ms room id.")], "The webhook body is not a 100ms event.");
        }

        var pipelineEvent = ToPipelineEvent(hmsEvent);
        var pipelines = await store.DeliverAsync(durable, pipelineEvent, cancellationToken);
        RecordingFunctionsTelemetry.WebhookReceived(WebhookOutcomes.Routed, hmsEvent.Type, hmsEvent.Data.RoomId, hmsEvent.Data.RecordingId);
        logger.LogInformation("100ms event {EventId} {EventType} for room {RoomId} delivered to {Count} pipeline(s)",
            hmsEvent.Id, hmsEvent.Type, hmsEvent.Data.RoomId, pipelines.Count);
        // A recording none of ours follows (started elsewhere) gets its own archive pipeline, once.
        var archive = await archiver.ArchiveIfUnfollowedAsync(durable, pipelineEvent, pipelines, cancellationToken);
        return new OkObjectResult(archive is null ? new { delivered = pipelines.Count } : new { delivered = pipelines.Count, archive });
    }

    private async Task<bool> IsFromHmsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var expected = await secrets.GetAsync(HmsSecret.WebhookSecret, cancellationToken);
        if (string.IsNullOrEmpty(expected))
        {
            logger.LogError("No webhook secret is configured: every 100ms webhook is refused");
            return false;
        }
        var provided = request.Headers[options.Value.WebhookHeaderName].ToString();
        // Hashing first gives equal lengths, so the comparison takes the same time whatever was sent.
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(provided)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }

    private static PipelineEvent ToPipelineEvent(HmsWebhookEvent e) => new()
    {
        Id = e.Id,
        Type = e.Type,
        At = e.Timestamp,
        RoomId = e.Data.RoomId,
        SessionId = e.Data.SessionId,
        RecordingId = e.Data.RecordingId,
        JobId = e.Data.JobId,
        BeamId = e.Data.BeamId,
        RecordingEnabled = e.Data.RecordingEnabled,
        StreamsRtmp = e.Data.RtmpDestinations > 0,
        IsReplay = e.IsReplay == true || e.Data.IsReplay == true,
        DurationSeconds = e.Data.Duration,
        Reason = e.Data.Reason,
        ErrorType = e.Data.ErrorType,
        Error = e.Data.ErrorType is null ? null : $"{e.Data.ErrorType}: {e.Data.ErrorMessage}",
    };
}
