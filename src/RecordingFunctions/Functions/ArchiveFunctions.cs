using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using RecordingFunctions.Api;
using RecordingFunctions.Archive;

namespace RecordingFunctions.Functions;

/// <summary>
/// The archive sweep: on a timer (app setting <c>ArchiveSweepSchedule</c>, a CRON expression) or on request, and its
/// orchestration and activities, each delegating to its class in the core library.
/// </summary>
public sealed class ArchiveFunctions(ArchiveApi api, ListRecordingsPageActivity listPage, ArchiveRecordingsPageActivity archivePage)
{
    [Function("ArchiveSweepOnTimer")]
    public Task SweepOnTimer(
        [TimerTrigger("%ArchiveSweepSchedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient durable,
        FunctionContext context) =>
        api.SweepOnScheduleAsync(durable, context.CancellationToken);

    [Function("StartArchiveSweep")]
    public Task<IActionResult> Sweep(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "archive/sweep")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.SweepAsync(request, durable, request.HttpContext.RequestAborted);

    [Function("GetArchiveSweep")]
    public Task<IActionResult> GetSweep(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "archive/sweeps/{instanceId}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string instanceId) =>
        api.GetAsync(durable, instanceId, request.HttpContext.RequestAborted);

    [Function(ArchiveSweep.Orchestrator)]
    public static Task<SweepReport> RunSweep([OrchestrationTrigger] TaskOrchestrationContext context) =>
        ArchiveSweep.RunAsync(context, context.GetInput<SweepRequest>()!);

    [Function(ArchiveSweep.ListPage)]
    public Task<SweepPage> ListRecordingsPage([ActivityTrigger] SweepPageRequest input, FunctionContext context) =>
        listPage.RunAsync(input, context.CancellationToken);

    [Function(ArchiveSweep.ArchivePage)]
    public Task<List<SweepOutcome>> ArchiveRecordingsPage(
        [ActivityTrigger] List<SweepItem> input, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        archivePage.RunAsync(input, durable, context.CancellationToken);
}
