using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RecordingFunctions.HmsSimulator;

namespace RecordingFunctions.Tests.Support;

/// <summary>
/// Stands between the 100ms simulator and the app's webhook route, passing every delivery (its body and
/// <c>X-100ms-Key</c>) on to <see cref="Target"/>. With <see cref="FailFirstDelivery"/> it answers 500 to the first
/// delivery of each event, as a receiver that fails once, and passes the retries on.
/// </summary>
public sealed class WebhookRelay : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly HashSet<string> seen = [];
    private readonly HttpClient forward = new() { Timeout = TimeSpan.FromSeconds(30) };

    private WebhookRelay(WebApplication app) => this.app = app;

    public Uri Url { get; private set; } = null!;
    public Uri? Target { get; set; }
    public bool FailFirstDelivery { get; set; }

    public static async Task<WebhookRelay> StartAsync(bool failFirstDelivery = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var relay = new WebhookRelay(app) { FailFirstDelivery = failFirstDelivery };
        app.MapPost("/hook", relay.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        relay.Url = new Uri(address.TrimEnd('/') + "/hook");
        return relay;
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        if (FailFirstDelivery && JsonNode.Parse(body)?["id"]?.GetValue<string>() is { } eventId)
        {
            lock (seen)
            {
                if (seen.Add(eventId)) return Results.StatusCode(500);
            }
        }
        using var message = new HttpRequestMessage(HttpMethod.Post, Target) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        message.Headers.Add(LocalStack.WebhookHeader, request.Headers[LocalStack.WebhookHeader].ToString());
        try
        {
            using var answer = await forward.SendAsync(message);
            return Results.StatusCode((int)answer.StatusCode);
        }
        catch (HttpRequestException)
        {
            return Results.StatusCode(502); // the app is down (a restart): 100ms retries
        }
    }

    public async ValueTask DisposeAsync()
    {
        forward.Dispose();
        await app.DisposeAsync();
    }
}
