using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using RecordingFunctions.Api;
using RecordingFunctions.Scheduling;

namespace RecordingFunctions.Functions;

/// <summary>Calendar feeds: synced on a timer (app setting <c>CalendarSyncSchedule</c>, a CRON expression) or on request.</summary>
public sealed class CalendarFunctions(CalendarSync sync, CalendarApi api)
{
    [Function("SyncCalendarsOnTimer")]
    public Task SyncOnTimer(
        [TimerTrigger("%CalendarSyncSchedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient durable,
        FunctionContext context) =>
        sync.SyncConfiguredFeedsAsync(durable, context.CancellationToken);

    [Function("SyncCalendars")]
    public Task<IActionResult> Sync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "calendar/sync")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.SyncAsync(request, durable, request.HttpContext.RequestAborted);
}
