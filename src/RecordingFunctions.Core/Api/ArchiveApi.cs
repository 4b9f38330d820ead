using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecordingFunctions.Archive;

namespace RecordingFunctions.Api;

/// <summary>
/// <c>POST /api/archive/sweep</c> starts a sweep of 100ms's recordings list and answers with what it counted within
/// <see cref="ArchiveOptions.SweepAnswerWait"/>; <c>GET /api/archive/sweeps/{id}</c> reads a sweep; the timer sweeps the
/// last <see cref="ArchiveOptions.SweepLookBack"/>.
/// </summary>
public sealed partial class ArchiveApi(IOptions<ArchiveOptions> options, TimeProvider clock, ILogger<ArchiveApi> logger)
{
    public const int MaxBodyBytes = 4 * 1024;
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(14);
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(90);
    private const string IdPrefix = "archive-sweep-";

    /// <summary><c>POST /api/archive/sweep</c> with an optional JSON body <c>{"since", "until", "room_id"}</c>.</summary>
    public async Task<IActionResult> SweepAsync(HttpRequest request, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var body = await HttpBodies.ReadLimitedAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null) return Problems.TooLarge("A sweep request", MaxBodyBytes);
        var (sweep, errors) = Validate(body, clock.GetUtcNow());
        if (errors.Count > 0 || sweep is null) return Problems.Validation(errors);
        if (options.Value.Recordings != ArchiveScope.All)
        {
            return Problems.Of(StatusCodes.Status409Conflict, "Archiving recordings started elsewhere is turned off.",
                "Archive:Recordings is Started: only recordings this app started are archived, so there is nothing to sweep.");
        }

        var instanceId = await StartAsync(durable, sweep, cancellationToken);
        var wait = options.Value.SweepAnswerWait;
        if (wait > TimeSpan.Zero)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(wait);
            try
            {
                await durable.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: false, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Still sweeping: the answer has the counts so far, the status URL the rest.
            }
        }
        var instance = await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        var statusUri = $"{request.Scheme}://{request.Host}{request.PathBase}/api/archive/sweeps/{instanceId}";
        var view = View(instance!, sweep);
        view["statusQueryGetUri"] = statusUri;
        return new AcceptedResult(statusUri, view);
    }

    /// <summary><c>GET /api/archive/sweeps/{id}</c></summary>
    public async Task<IActionResult> GetAsync(DurableTaskClient durable, string instanceId, CancellationToken cancellationToken)
    {
        var instance = SweepId().IsMatch(instanceId) ? await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken) : null;
        var request = instance?.ReadInputAs<SweepRequest>();
        return instance is null || request is null
            ? Problems.Of(StatusCodes.Status404NotFound, "No such sweep.", $"There is no sweep {(instanceId.Length > 80 ? instanceId[..80] + "…" : instanceId)}.")
            : new OkObjectResult(View(instance, request));
    }

    /// <summary>What the timer does: sweeps the last <see cref="ArchiveOptions.SweepLookBack"/>, unless archiving is limited to started recordings.</summary>
    public async Task<string?> SweepOnScheduleAsync(DurableTaskClient durable, CancellationToken cancellationToken)
    {
        if (options.Value.Recordings != ArchiveScope.All) return null;
        var now = clock.GetUtcNow();
        return await StartAsync(durable, new SweepRequest(now - options.Value.SweepLookBack, now, null, "timer"), cancellationToken);
    }

    private async Task<string> StartAsync(DurableTaskClient durable, SweepRequest sweep, CancellationToken cancellationToken)
    {
        var instanceId = IdPrefix + Guid.NewGuid().ToString("N");
        await durable.ScheduleNewOrchestrationInstanceAsync(ArchiveSweep.Orchestrator, sweep, new StartOrchestrationOptions(instanceId), cancellationToken);
        logger.LogInformation("Started archive sweep {InstanceId} of {RoomId} from {Since} to {Until} ({By})",
            instanceId, sweep.RoomId ?? "every room", sweep.Since, sweep.Until, sweep.By);
        return instanceId;
    }

    /// <summary>Every problem of the body, each named by its field; the sweep when there is none.</summary>
    public static (SweepRequest? Sweep, List<(string, string)> Errors) Validate(byte[] body, DateTimeOffset now)
    {
        var errors = new List<(string, string)>();
        string? since = null, until = null, roomId = null;
        if (body.Length > 0)
        {
            JsonObject? json = null;
            try
            {
                json = JsonNode.Parse(body) as JsonObject;
            }
            catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
            {
            }
            if (json is null) return (null, [("body", "The body must be a JSON object with since, until and room_id, each optional.")]);
            foreach (var (name, value) in json)
            {
                if (name is not ("since" or "until" or "room_id"))
                {
                    errors.Add((name, $"Unknown field {(name.Length > 40 ? name[..40] + "…" : name)}: only since, until and room_id are read."));
                    continue;
                }
                if (value is null) continue;
                if (value.GetValueKind() != JsonValueKind.String)
                {
                    errors.Add((name, $"{name} must be a string."));
                    continue;
                }
                var text = value.GetValue<string>();
                if (name == "since") since = text;
                else if (name == "until") until = text;
                else roomId = text;
            }
        }

        var sinceAt = ParseTime("since", since, now - DefaultRange, errors);
        var untilAt = ParseTime("until", until, now, errors);
        if (roomId is not null && !Hms.HmsLimits.IsHmsId(roomId))
            errors.Add(("room_id", "room_id must be a 100ms room id (24 lowercase hex characters)."));
        if (sinceAt is { } s && untilAt is { } u)
        {
            if (s >= u) errors.Add(("since", "since must be before until."));
            else if (u - s > MaxRange) errors.Add(("since", $"The range from since to until may span at most {MaxRange.TotalDays} days."));
        }
        return errors.Count > 0 ? (null, errors) : (new SweepRequest(sinceAt!.Value, untilAt!.Value, roomId, "api"), errors);
    }

    private static DateTimeOffset? ParseTime(string field, string? text, DateTimeOffset fallback, List<(string, string)> errors)
    {
        if (text is null) return fallback;
        var match = Rfc3339().Match(text);
        if (match.Success)
        {
            // .NET keeps 7 fraction digits; RFC 3339 allows more (100ms writes nanoseconds).
            var trimmed = match.Groups["fraction"].Length > 8 ? text.Remove(match.Groups["fraction"].Index + 8, match.Groups["fraction"].Length - 8) : text;
            if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) return parsed;
        }
        errors.Add((field, $"{field} must be an RFC 3339 time with an offset, e.g. 2026-12-01T00:00:00Z."));
        return null;
    }

    private static JsonObject View(OrchestrationMetadata instance, SweepRequest request)
    {
        var report = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed && instance.SerializedOutput is not null
            ? instance.ReadOutputAs<SweepReport>()
            : instance.ReadCustomStatusAs<SweepReport>();
        report ??= new SweepReport { Since = request.Since, Until = request.Until, RoomId = request.RoomId, By = request.By };
        if (instance.RuntimeStatus is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)
            report = report with { Done = true, Error = instance.FailureDetails?.ErrorMessage ?? "the sweep was terminated" };
        var view = JsonSerializer.SerializeToNode(report)!.AsObject();
        view["id"] = instance.InstanceId;
        view["runtime_status"] = instance.RuntimeStatus.ToString();
        view["created_at"] = instance.CreatedAt;
        view["last_updated_at"] = instance.LastUpdatedAt;
        return view;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?<fraction>\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    [GeneratedRegex("^archive-sweep-[0-9a-f]{32}$")]
    private static partial Regex SweepId();
}
