using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecordingFunctions.Pipeline;
using RecordingFunctions.Telemetry;
using RecordingFunctions.Validation;

namespace RecordingFunctions.Api;

/// <summary>
/// The recordings HTTP API, shared by every host: start (or schedule) a pipeline for a room, read one, list them,
/// stop a recording, cancel a scheduled one. The Functions app and the local host call these methods from their own HTTP triggers.
/// </summary>
public sealed class RecordingsApi(
    IOptions<PipelineOptions> pipelineOptions, PipelineStore store, TimeProvider clock, ILogger<RecordingsApi> logger)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    private const int MaxIdempotencyKeyLength = 200;

    /// <summary><c>POST /api/rooms/{room_id}/recordings</c></summary>
    public async Task<IActionResult> StartAsync(HttpRequest request, DurableTaskClient durable, string roomId, CancellationToken cancellationToken)
    {
        var body = await HttpBodies.ReadLimitedAsync(request, StartRecordingValidator.MaxBodyBytes, cancellationToken);
        if (body is null) return Problems.TooLarge("A start request", StartRecordingValidator.MaxBodyBytes);

        var validation = StartRecordingValidator.Validate(roomId, body,
            new ScheduleLimits(clock.GetUtcNow(), pipelineOptions.Value.MaxRecordingDuration));
        var idempotencyKey = request.Headers[IdempotencyKeyHeader].ToString();
        var errors = validation.Errors.Select(e => (e.Path, e.Message)).ToList();
        if (idempotencyKey.Length > MaxIdempotencyKeyLength)
            errors.Add((IdempotencyKeyHeader, $"The {IdempotencyKeyHeader} header may be at most {MaxIdempotencyKeyLength} characters."));
        if (errors.Count > 0 || validation.Request is null) return Problems.Validation(errors);

        var instanceId = idempotencyKey.Length > 0
            ? PipelineInstanceIds.ForIdempotencyKey(roomId, idempotencyKey)
            : PipelineInstanceIds.New(roomId);
        if (idempotencyKey.Length > 0 && await store.ExistsAsync(durable, instanceId, cancellationToken))
            return Accepted(request, instanceId, roomId);

        // A recording scheduled for later does not compete with the room's current one.
        var holder = validation.Schedule?.StartAt is null
            ? (await store.FindActiveAsync(durable, roomId, cancellationToken)).FirstOrDefault(p => p.Phase.HoldsRoom())?.InstanceId
            : null;
        if (holder is not null)
        {
            return Problems.Of(StatusCodes.Status409Conflict, "The room is already being recorded.",
                $"Pipeline {holder} is still recording room {roomId}.",
                new Dictionary<string, object?> { ["instance_id"] = holder, ["status_uri"] = StatusUri(request, holder) });
        }

        var input = new PipelineInput(roomId, validation.Request, pipelineOptions.Value, validation.Schedule);
        // False only when a concurrent request with the same idempotency key created it first: that is all we wanted.
        if (await store.CreateAsync(durable, instanceId, input, cancellationToken))
            logger.LogInformation("Scheduled pipeline {InstanceId} for room {RoomId}", instanceId, roomId);
        return Accepted(request, instanceId, roomId);
    }

    /// <summary><c>GET /api/recordings/{id}</c></summary>
    public async Task<IActionResult> GetAsync(DurableTaskClient durable, string instanceId, CancellationToken cancellationToken)
    {
        var instance = await store.GetAsync(durable, instanceId, cancellationToken);
        return instance is null
            ? Problems.Of(StatusCodes.Status404NotFound, "No such recording pipeline.", $"There is no pipeline {Truncate(instanceId)}.")
            : new OkObjectResult(View(instance));
    }

    /// <summary><c>POST /api/recordings/{id}/stop</c>: stops the pipeline's recording now; it then goes on to the transcription.</summary>
    public Task<IActionResult> StopAsync(HttpRequest request, DurableTaskClient durable, string instanceId, CancellationToken cancellationToken) =>
        CommandAsync(request, durable, instanceId, PipelineCommand.Stop, cancellationToken);

    /// <summary><c>DELETE /api/recordings/{id}</c>: cancels a scheduled pipeline before it starts; nothing is sent to 100ms.</summary>
    public Task<IActionResult> CancelAsync(HttpRequest request, DurableTaskClient durable, string instanceId, CancellationToken cancellationToken) =>
        CommandAsync(request, durable, instanceId, PipelineCommand.Cancel, cancellationToken);

    private async Task<IActionResult> CommandAsync(
        HttpRequest request, DurableTaskClient durable, string instanceId, string action, CancellationToken cancellationToken)
    {
        var instance = await store.GetAsync(durable, instanceId, cancellationToken);
        if (instance is null)
            return Problems.Of(StatusCodes.Status404NotFound, "No such recording pipeline.", $"There is no pipeline {Truncate(instanceId)}.");

        var phase = PipelineStore.PhaseOf(instance);
        var roomId = PipelineInstanceIds.RoomOf(instanceId)!;
        // Asking again for a stop or a cancel already under way is not a conflict.
        if ((action, phase) is (PipelineCommand.Stop, PipelinePhase.Stopping) or (PipelineCommand.Cancel, PipelinePhase.Cancelled))
            return Accepted(request, instanceId, roomId);

        var refusal = (action, phase) switch
        {
            _ when phase.IsFinal() || IsEnded(instance) => $"The pipeline has already ended ({phase.ToWireName()}).",
            (PipelineCommand.Stop, PipelinePhase.Scheduled) => "The recording has not started yet; DELETE the pipeline to cancel it.",
            (PipelineCommand.Stop, not (PipelinePhase.Starting or PipelinePhase.Recording)) =>
                $"The recording has already stopped; the pipeline is {phase.ToWireName()}.",
            (PipelineCommand.Cancel, not PipelinePhase.Scheduled) =>
                $"The recording has already started ({phase.ToWireName()}); POST /api/recordings/{instanceId}/stop stops it.",
            _ => null,
        };
        if (refusal is not null)
        {
            return Problems.Of(StatusCodes.Status409Conflict, $"The pipeline cannot {action} now.", refusal,
                new Dictionary<string, object?> { ["phase"] = phase.ToWireName(), ["status_uri"] = StatusUri(request, instanceId) });
        }

        await store.SendAsync(durable, instanceId,
            new PipelineCommand { Action = action, By = PipelineCommand.ByApi, Reason = $"{action} requested over the API" }, cancellationToken);
        logger.LogInformation("Asked pipeline {InstanceId} to {Action}", instanceId, action);
        return Accepted(request, instanceId, roomId);
    }

    /// <summary><c>GET /api/recordings?room_id=&amp;phase=&amp;page_size=&amp;continuation_token=</c></summary>
    public async Task<IActionResult> ListAsync(HttpRequest request, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var roomId = request.Query["room_id"].ToString();
        var phaseText = request.Query["phase"].ToString();
        var pageSizeText = request.Query["page_size"].ToString();
        var errors = new List<(string, string)>();
        if (roomId.Length > 0 && !Hms.HmsLimits.IsHmsId(roomId))
            errors.Add(("room_id", "room_id must be a 100ms room id (24 lowercase hex characters)."));
        PipelinePhase? phase = null;
        if (phaseText.Length > 0)
        {
            phase = Enum.GetValues<PipelinePhase>().Cast<PipelinePhase?>().FirstOrDefault(p => p!.Value.ToWireName() == phaseText);
            if (phase is null)
                errors.Add(("phase", $"phase must be one of {string.Join(", ", Enum.GetValues<PipelinePhase>().Select(p => p.ToWireName()))}."));
        }
        var pageSize = 50;
        if (pageSizeText.Length > 0 && (!int.TryParse(pageSizeText, out pageSize) || pageSize is < 1 or > 200))
            errors.Add(("page_size", "page_size must be an integer from 1 to 200."));
        if (errors.Count > 0) return Problems.Validation(errors);

        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = roomId.Length > 0 ? PipelineInstanceIds.RoomPrefix(roomId) : null,
            FetchInputsAndOutputs = true,
            PageSize = pageSize,
            ContinuationToken = NullIfEmpty(request.Query["continuation_token"].ToString()),
        };
        var pages = durable.GetAllInstancesAsync(query).AsPages(query.ContinuationToken, pageSize);
        await foreach (var page in pages.WithCancellation(cancellationToken))
        {
            var items = page.Values
                .Where(instance => PipelineInstanceIds.IsValid(instance.InstanceId)) // not the archive sweeps
                .Select(View)
                .Where(view => phase is null || view["phase"]?.GetValue<string>() == phase.Value.ToWireName())
                .ToList();
            return new OkObjectResult(new JsonObject
            {
                ["items"] = new JsonArray([.. items]),
                ["continuation_token"] = page.ContinuationToken,
            });
        }
        return new OkObjectResult(new JsonObject { ["items"] = new JsonArray(), ["continuation_token"] = null });
    }

    private static AcceptedResult Accepted(HttpRequest request, string instanceId, string roomId)
    {
        var statusUri = StatusUri(request, instanceId);
        return new AcceptedResult(statusUri, new JsonObject
        {
            ["id"] = instanceId,
            ["room_id"] = roomId,
            ["statusQueryGetUri"] = statusUri,
        });
    }

    private static string StatusUri(HttpRequest request, string instanceId) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/api/recordings/{instanceId}";

    private static bool IsEnded(OrchestrationMetadata instance) =>
        instance.RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;

    /// <summary>A pipeline as the API shows it: its record and Durable's view.</summary>
    public static JsonObject View(OrchestrationMetadata instance)
    {
        var record = PipelineStore.RecordOf(instance);
        var view = record is null
            ? new JsonObject { ["phase"] = PipelinePhase.Starting.ToWireName() }
            : JsonSerializer.SerializeToNode(record)!.AsObject();
        if (instance.RuntimeStatus is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)
        {
            view["phase"] = PipelinePhase.Failed.ToWireName();
            view["error"] = instance.FailureDetails?.ErrorMessage ?? "the pipeline was terminated";
        }
        view["id"] = instance.InstanceId;
        view["runtime_status"] = instance.RuntimeStatus.ToString();
        view["created_at"] = instance.CreatedAt;
        view["last_updated_at"] = instance.LastUpdatedAt;
        return view;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
