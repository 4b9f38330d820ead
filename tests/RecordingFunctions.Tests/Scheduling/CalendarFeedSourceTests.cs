using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecordingFunctions.Scheduling;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Scheduling;

/// <summary>Fetching feeds over real HTTP from a loopback server: limits, failures, and no URL in any error.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CalendarFeedSourceTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Token = "private-token-8c1f";
    private readonly Uri baseUrl = new($"http://127.0.0.1:{Loopback.FreePort()}/");
    private WebApplication? server;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(baseUrl.ToString());
        server = builder.Build();
        server.MapGet($"/{Token}/basic.ics", () => Results.Text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "text/calendar"));
        server.MapGet($"/{Token}/huge.ics", async (HttpContext http) =>
        {
            // No Content-Length: the limit must hold while streaming.
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < 40; i++) await http.Response.Body.WriteAsync(chunk);
        });
        server.MapGet($"/{Token}/slow.ics", async (CancellationToken aborted) => { await Task.Delay(TimeSpan.FromSeconds(30), aborted); return "late"; });
        await server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
    }

    private CalendarFeedSource Source(CalendarOptions? options = null)
    {
        var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        return new CalendarFeedSource(services.GetRequiredService<IHttpClientFactory>(), new BlobServiceClient(azurite.ConnectionString),
            Options.Create(options ?? new CalendarOptions { AllowHttp = true, MaxFeedBytes = 1024 * 1024, FeedTimeout = TimeSpan.FromSeconds(2) }));
    }

    private CalendarFeedOptions Feed(string path) => new() { Name = "team", Url = new Uri(baseUrl, $"{Token}/{path}") };

    [Fact]
    public async Task A_feed_is_fetched_over_http()
    {
        var text = await Source().FetchAsync(Feed("basic.ics"), CancellationToken.None);
        Assert.StartsWith("BEGIN:VCALENDAR", text);
    }

    [Theory]
    [InlineData("missing.ics", "HTTP 404")]
    [InlineData("huge.ics", "Calendar:MaxFeedBytes")]
    [InlineData("slow.ics", "did not answer within 2 s")]
    public async Task Failures_name_the_feed_and_never_its_url(string path, string expected)
    {
        var error = await Assert.ThrowsAsync<CalendarFeedUnavailableException>(() => Source().FetchAsync(Feed(path), CancellationToken.None));

        Assert.Contains("'team'", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain(Token, error.ToString());
    }

    [Fact]
    public async Task An_unreachable_host_and_a_missing_blob_are_reported_the_same_way()
    {
        var closed = new CalendarFeedOptions { Name = "team", Url = new Uri($"http://127.0.0.1:{Loopback.FreePort()}/{Token}/x.ics") };
        var unreachable = await Assert.ThrowsAsync<CalendarFeedUnavailableException>(() => Source().FetchAsync(closed, CancellationToken.None));
        Assert.DoesNotContain(Token, unreachable.ToString());

        var blob = new CalendarFeedOptions { Name = "team", Blob = "nofeeds" + Guid.NewGuid().ToString("N")[..8] + "/team.ics" };
        var missing = await Assert.ThrowsAsync<CalendarFeedUnavailableException>(() => Source().FetchAsync(blob, CancellationToken.None));
        Assert.Contains("404", missing.Message);
    }

    [Fact]
    public void Options_refuse_plain_http_unless_allowed_and_name_each_bad_feed()
    {
        var options = new CalendarOptions
        {
            Feeds =
            [
                new() { Name = "a", Url = new Uri("http://calendar.example/a.ics") },
                new() { Name = "b/c", Blob = "feeds/b.ics" },
                new() { Name = "d", Url = new Uri("https://calendar.example/d.ics"), Blob = "feeds/d.ics" },
                new() { Name = "A", Blob = "feeds" },
            ],
        };

        var problems = options.Problems().ToList();
        Assert.Contains(problems, p => p.StartsWith("Calendar:Feeds:0:Url must be an https URL"));
        Assert.Contains(problems, p => p.StartsWith("Calendar:Feeds:1:Name"));
        Assert.Contains(problems, p => p.StartsWith("Calendar:Feeds:2 needs exactly one"));
        Assert.Contains(problems, p => p.StartsWith("Calendar:Feeds:3:Blob must be container/path"));
        Assert.Contains(problems, p => p.Contains("'a' more than once"));
        Assert.DoesNotContain(WithHttpAllowed(options.Feeds[0]).Problems(), p => p.StartsWith("Calendar:Feeds:0:Url"));

        static CalendarOptions WithHttpAllowed(CalendarFeedOptions feed) => new() { AllowHttp = true, Feeds = [feed] };
    }
}
