using Microsoft.Playwright;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Page;

/// <summary>
/// Debian's Chromium driven by Playwright (its driver ships in the NuGet package; no `playwright install`).
/// Without Chromium the browser tests skip and say why; under CI=true they fail instead.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public static readonly string ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";

    private static readonly string[] LaunchFlags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? playwright;

    public IBrowser? Chromium { get; private set; }

    /// <summary>Why the browser tests cannot run here, or null.</summary>
    public string? SkipReason { get; private set; }

    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryPaths.Root, ".artifacts", "page");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            SkipReason = $"No Chromium at {ExecutablePath}: install it with `apt-get install -y chromium` (scripts/test.sh does when it may).";
            if (Ci.IsRunning)
                throw new InvalidOperationException(SkipReason + " Browser tests do not skip under CI.");
            return;
        }
        Directory.CreateDirectory(ScreenshotFolder);
        playwright = await Playwright.CreateAsync();
        Chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = LaunchFlags,
            Timeout = 60_000,
        });
    }

    /// <summary>
    /// A fresh browser context on <paramref name="origin"/> that records console errors (a CSP violation is one) and
    /// refuses, and records, any request to another origin: the page must work offline.
    /// </summary>
    public async Task<BrowserPage> OpenAsync(Uri origin)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var context = await Chromium!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var page = new BrowserPage(context, await context.NewPageAsync());
        var own = origin.GetLeftPart(UriPartial.Authority);
        await context.RouteAsync("**/*", async route =>
        {
            var url = route.Request.Url;
            if (url.StartsWith(own, StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal) || url.StartsWith("blob:", StringComparison.Ordinal))
            {
                await route.ContinueAsync();
                return;
            }
            page.OutsideRequests.Add(url);
            await route.AbortAsync();
        });
        page.Page.Console += (_, message) => { if (message.Type == "error") page.ConsoleErrors.Add(message.Text); };
        page.Page.PageError += (_, error) => page.ConsoleErrors.Add(error);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null) await Chromium.DisposeAsync();
        playwright?.Dispose();
    }
}

public sealed class BrowserPage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IPage Page { get; } = page;
    public List<string> ConsoleErrors { get; } = [];
    public List<string> OutsideRequests { get; } = [];

    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ScreenshotFolder, name + ".png"), FullPage = true });

    /// <summary>No script error, no CSP violation, nothing fetched from elsewhere.</summary>
    public void AssertCleanRun()
    {
        // Chromium logs each 4xx the page asked for as a console error; those are answers the page shows, not faults.
        var faults = ConsoleErrors.Where(e => !e.Contains("status of 4", StringComparison.Ordinal)).ToList();
        Assert.True(faults.Count == 0, "console errors: " + string.Join(" | ", faults));
        Assert.Empty(OutsideRequests);
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
