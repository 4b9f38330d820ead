using Microsoft.Playwright;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Page;

/// <summary>Where sign-in is not set up and the caller is not on loopback, the page asks once for a function key.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class FunctionKeyPromptTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly Browser browser = new();

    public Task InitializeAsync() => browser.InitializeAsync();
    public Task DisposeAsync() => browser.DisposeAsync();

    [SkippableFact]
    public async Task The_page_asks_once_for_a_function_key_keeps_it_in_session_storage_and_sends_it_as_a_header()
    {
        await using var keyHost = await FakeKeyCheckHost.StartAsync("the-host-key");
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString, settings: new Dictionary<string, string?>
        {
            ["Page:OpenOnLoopback"] = "false",
            ["Page:KeyCheckUrl"] = keyHost.Url.ToString(),
        });
        var url = new Uri(harness.Api.BaseAddress!, "api/page");
        await using var tab = await browser.OpenAsync(url);
        var page = tab.Page;
        var sentKeys = new List<string?>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/page/recordings", StringComparison.Ordinal))
                sentKeys.Add(request.Headers.TryGetValue("x-functions-key", out var key) ? key : null);
        };
        await page.GotoAsync(url.ToString());

        await Assertions.Expect(page.GetByLabel("Function key")).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByText("Sign in with Microsoft").CountAsync());   // sign-in is not configured here
        await page.GetByLabel("Function key").FillAsync("a-guess");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use this key" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That key was not accepted.");
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('recordingfunctions.functionKey')"));

        await page.GetByLabel("Function key").FillAsync("the-host-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use this key" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Recordings" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("access")).ToHaveTextAsync("with a function key");
        Assert.Equal("the-host-key", await page.EvaluateAsync<string?>("() => sessionStorage.getItem('recordingfunctions.functionKey')"));

        // A reload in the same tab does not ask again.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Recordings" })).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByLabel("Function key").CountAsync());
        Assert.NotEmpty(sentKeys);
        Assert.All(sentKeys, key => Assert.Equal("the-host-key", key));
        Assert.DoesNotContain("the-host-key", page.Url);
        tab.AssertCleanRun();
    }
}
