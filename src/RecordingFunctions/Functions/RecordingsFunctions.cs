using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using RecordingFunctions.Api;

namespace RecordingFunctions.Functions;

/// <summary>The recordings API: HTTP triggers over <see cref="RecordingsApi"/>.</summary>
public sealed class RecordingsFunctions(RecordingsApi api)
{
    [Function("StartRecordingPipeline")]
    public Task<IActionResult> Start(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "rooms/{roomId}/recordings")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string roomId) =>
        api.StartAsync(request, durable, roomId, request.HttpContext.RequestAborted);

    [Function("GetRecordingPipeline")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "recordings/{instanceId}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string instanceId) =>
        api.GetAsync(durable, instanceId, request.HttpContext.RequestAborted);

    [Function("StopRecordingPipeline")]
    public Task<IActionResult> Stop(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "recordings/{instanceId}/stop")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string instanceId) =>
        api.StopAsync(request, durable, instanceId, request.HttpContext.RequestAborted);

    [Function("CancelRecordingPipeline")]
    public Task<IActionResult> Cancel(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "recordings/{instanceId}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string instanceId) =>
        api.CancelAsync(request, durable, instanceId, request.HttpContext.RequestAborted);

    [Function("ListRecordingPipelines")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "recordings")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.ListAsync(request, durable, request.HttpContext.RequestAborted);
}
