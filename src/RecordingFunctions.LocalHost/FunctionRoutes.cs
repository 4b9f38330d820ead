using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using RecordingFunctions.Functions;

namespace RecordingFunctions.LocalHost;

/// <summary>
/// Serves the Functions app's HTTP API without the Functions host: each route calls the same function class
/// method the Functions host would, with the Durable client of this process.
/// </summary>
public static class FunctionRoutes
{
    public static void MapRecordingFunctions(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapPost("/rooms/{roomId}/recordings", (HttpContext http, string roomId) =>
            Run<RecordingsFunctions>(http, (f, durable) => f.Start(http.Request, durable, roomId)));
        api.MapGet("/recordings/{instanceId}", (HttpContext http, string instanceId) =>
            Run<RecordingsFunctions>(http, (f, durable) => f.Get(http.Request, durable, instanceId)));
        api.MapPost("/recordings/{instanceId}/stop", (HttpContext http, string instanceId) =>
            Run<RecordingsFunctions>(http, (f, durable) => f.Stop(http.Request, durable, instanceId)));
        api.MapDelete("/recordings/{instanceId}", (HttpContext http, string instanceId) =>
            Run<RecordingsFunctions>(http, (f, durable) => f.Cancel(http.Request, durable, instanceId)));
        api.MapGet("/recordings", (HttpRequest request) =>
            Run<RecordingsFunctions>(request.HttpContext, (f, durable) => f.List(request, durable)));
        api.MapPost("/calendar/sync", (HttpRequest request) =>
            Run<CalendarFunctions>(request.HttpContext, (f, durable) => f.Sync(request, durable)));
        api.MapPost("/archive/sweep", (HttpRequest request) =>
            Run<ArchiveFunctions>(request.HttpContext, (f, durable) => f.Sweep(request, durable)));
        api.MapGet("/archive/sweeps/{instanceId}", (HttpContext http, string instanceId) =>
            Run<ArchiveFunctions>(http, (f, durable) => f.GetSweep(http.Request, durable, instanceId)));
        api.MapPost("/webhooks/100ms", (HttpRequest request) =>
            Run<HmsWebhookFunction>(request.HttpContext, (f, durable) => f.Receive(request, durable)));
        app.MapPageFunctions();
    }

    internal static async Task Run<TFunction>(HttpContext http, Func<TFunction, DurableTaskClient, Task<IActionResult>> invoke)
    {
        var function = ActivatorUtilities.GetServiceOrCreateInstance<TFunction>(http.RequestServices);
        var durable = http.RequestServices.GetRequiredService<DurableTaskClient>();
        var result = await invoke(function, durable);
        await result.ExecuteResultAsync(new ActionContext { HttpContext = http });
    }
}
