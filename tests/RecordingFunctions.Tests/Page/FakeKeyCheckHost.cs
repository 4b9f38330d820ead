using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Page;

/// <summary>
/// Stands in for the Functions host's key check on <c>GET /api/page/key</c>: 204 for its one key, 401 for any other.
/// The local host has no function keys, so the page's key path needs this outside part to answer.
/// </summary>
public sealed class FakeKeyCheckHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private int checks;

    private FakeKeyCheckHost(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    public Uri Url { get; }
    public int Checks => checks;

    public static async Task<FakeKeyCheckHost> StartAsync(string key)
    {
        var baseUrl = $"http://127.0.0.1:{Loopback.FreePort()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(baseUrl);
        var app = builder.Build();
        FakeKeyCheckHost? host = null;
        app.MapGet("/api/page/key", (HttpRequest request) =>
        {
            Interlocked.Increment(ref host!.checks);
            return request.Headers["x-functions-key"] == key ? Results.NoContent() : Results.Unauthorized();
        });
        host = new FakeKeyCheckHost(app, new Uri(baseUrl + "/api/page/key"));
        await app.StartAsync();
        return host;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
