using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using RecordingFunctions.Api;
using RecordingFunctions.Page;

namespace RecordingFunctions.Functions;

/// <summary>
/// The archive page and the routes it calls. They are anonymous to the Functions host because a signed-in person
/// carries no function key; <see cref="PageApi.GuardAsync"/> lets in a signed-in principal or a function key instead.
/// </summary>
public sealed class PageFunctions(PageApi page, RecordingsApi recordings)
{
    [Function("Page")]
    public IActionResult Index(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "page")] HttpRequest request) =>
        PageAssets.Serve(request, PageAssets.IndexName);

    [Function("PageAsset")]
    public IActionResult Asset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "page/assets/{name}")] HttpRequest request, string name) =>
        PageAssets.Serve(request, name);

    /// <summary>Answers 204 to whoever the Functions host lets through: <see cref="FunctionKeyCheck"/> asks it about keys.</summary>
    [Function("PageKeyCheck")]
    public IActionResult KeyCheck(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "page/key")] HttpRequest request) => new NoContentResult();

    [Function("PageSession")]
    public Task<IActionResult> Session(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "page/session")] HttpRequest request) =>
        page.SessionAsync(request, request.HttpContext.RequestAborted);

    [Function("PageListRecordings")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "page/recordings")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        page.GuardAsync(request, () => recordings.ListAsync(request, durable, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    [Function("PageGetRecording")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "page/recordings/{instanceId}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, string instanceId) =>
        page.GuardAsync(request, () => recordings.GetAsync(durable, instanceId, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    [Function("PageStopRecording")]
    public Task<IActionResult> Stop(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "page/recordings/{instanceId}/stop")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, string instanceId) =>
        page.GuardAsync(request, () => recordings.StopAsync(request, durable, instanceId, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    [Function("PageCancelRecording")]
    public Task<IActionResult> Cancel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "page/recordings/{instanceId}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, string instanceId) =>
        page.GuardAsync(request, () => recordings.CancelAsync(request, durable, instanceId, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    [Function("PageStartRecording")]
    public Task<IActionResult> Start(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "page/rooms/{roomId}/recordings")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, string roomId) =>
        page.GuardAsync(request, () => recordings.StartAsync(request, durable, roomId, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    [Function("PageGetRecordingFile")]
    public Task<IActionResult> PageFile(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "page/recordings/{instanceId}/files/{name}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, string instanceId, string name) =>
        page.GuardAsync(request, () => page.FileAsync(request, durable, instanceId, name, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    /// <summary>The same file for API callers with a function key, checked by the Functions host.</summary>
    [Function("GetRecordingFile")]
    public Task<IActionResult> File(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "recordings/{instanceId}/files/{name}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, string instanceId, string name) =>
        page.FileAsync(request, durable, instanceId, name, request.HttpContext.RequestAborted);
}
