using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using RecordingFunctions.Api;

namespace RecordingFunctions.Functions;

/// <summary>
/// The URL configured in the 100ms dashboard. Anonymous at the Functions level: 100ms authenticates with the
/// custom header checked by <see cref="HmsWebhookReceiver"/>.
/// </summary>
public sealed class HmsWebhookFunction(HmsWebhookReceiver receiver)
{
    [Function("HmsWebhook")]
    public Task<IActionResult> Receive(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/100ms")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        receiver.ReceiveAsync(request, durable, request.HttpContext.RequestAborted);
}
