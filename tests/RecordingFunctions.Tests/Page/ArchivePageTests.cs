using System.Text.Json.Nodes;
using Microsoft.Playwright;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Page;

/// <summary>The archive page in Debian's Chromium against the local stack: what people see and do.</summary>
public sealed class ArchivePageTests(ArchivePageFixture stack) : IClassFixture<ArchivePageFixture>
{
    private Uri PageUrl => new(stack.Harness.Api.BaseAddress!, "api/page");

    private async Task<BrowserPage> OpenAsync(string hash = "")
    {
        var browser = await stack.Browser.OpenAsync(PageUrl);
        await browser.Page.GotoAsync(PageUrl + hash);
        return browser;
    }

    [SkippableFact]
    public async Task The_list_shows_the_completed_recording_and_its_page_shows_the_summary_sections_and_the_transcript_lines()
    {
        await using var browser = await OpenAsync();
        var page = browser.Page;
        var row = page.Locator($"[data-testid=recording-row][data-id='{stack.CompletedId}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator("[data-testid=phase]")).ToHaveTextAsync("completed");
        await Assertions.Expect(row.Locator("[data-testid=origin]")).ToHaveTextAsync("api");
        await Assertions.Expect(row).ToContainTextAsync(stack.RoomId);

        // Filtered by room, only that room's pipelines are listed.
        await page.FillAsync("#filter-room", stack.RoomId);
        await page.SelectOptionAsync("#filter-phase", "completed");
        await page.ClickAsync("form.filters button[type=submit]");
        await Assertions.Expect(page.Locator("[data-testid=recording-row]")).ToHaveCountAsync(1);
        await browser.ScreenshotAsync("list");

        await row.GetByRole(AriaRole.Link).ClickAsync();
        var sections = await stack.SummarySectionsAsync();
        var shown = page.Locator("[data-testid=summary-section]");
        await Assertions.Expect(shown).ToHaveCountAsync(sections.Count);
        for (var i = 0; i < sections.Count; i++)
        {
            await Assertions.Expect(shown.Nth(i).Locator("h3")).ToHaveTextAsync(sections[i]!["title"]!.GetValue<string>());
            var bullets = sections[i]!["bullets"]!.AsArray().Select(b => b!.GetValue<string>()).ToArray();
            if (bullets.Length > 0) await Assertions.Expect(shown.Nth(i).Locator("li")).ToHaveTextAsync(bullets);
            var paragraph = sections[i]!["paragraph"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(paragraph)) await Assertions.Expect(shown.Nth(i).Locator("p")).ToHaveTextAsync(paragraph);
        }
        Assert.Equal(["Speakers", .. ArchivePageFixture.Sections.Select(s => s.Title)], sections.Select(s => s!["title"]!.GetValue<string>()));

        var sentences = await stack.TranscriptSentencesAsync();
        var lines = page.Locator("[data-testid=transcript-line]");
        await Assertions.Expect(lines).ToHaveCountAsync(sentences.Count);
        await Assertions.Expect(lines.Locator(".text")).ToHaveTextAsync(sentences.Select(s => s.Text).ToArray());
        await Assertions.Expect(lines.Locator(".speaker")).ToHaveTextAsync(sentences.Select(s => s.Speaker).ToArray());
        await Assertions.Expect(lines.First.Locator(".time")).ToHaveTextAsync("0:01");

        var timeline = page.Locator("ol.timeline li");
        var phases = stack.Completed["phases"]!.AsArray().Select(p => p!["phase"]!.GetValue<string>().Replace('_', ' ')).ToArray();
        await Assertions.Expect(timeline.Locator("[data-testid=phase]")).ToHaveTextAsync(phases);
        await Assertions.Expect(page.Locator("[data-testid=file-link]")).ToHaveTextAsync(
            ["transcript.txt", "transcript.srt", "transcript.json", "summary.json", "summary.md", "manifest.json"],
            new() { UseInnerText = true });

        await browser.ScreenshotAsync("recording");
        browser.AssertCleanRun();
    }

    [SkippableFact]
    public async Task Search_finds_a_word_highlights_every_hit_and_jumps_between_them()
    {
        await using var browser = await OpenAsync($"#/recordings/{stack.CompletedId}");
        var page = browser.Page;
        var sentences = await stack.TranscriptSentencesAsync();
        await Assertions.Expect(page.Locator("[data-testid=transcript-line]")).ToHaveCountAsync(sentences.Count);

        const string word = "the";
        var expected = sentences.Sum(s => CountOf(s.Text, word));
        Assert.True(expected >= 2, "the simulated dialogue should say 'the' more than once");
        await page.FillAsync("#transcript-search", word);
        await Assertions.Expect(page.Locator("[data-testid=transcript] mark")).ToHaveCountAsync(expected);
        await Assertions.Expect(page.GetByTestId("search-count")).ToHaveTextAsync($"1 of {expected}");
        var current = page.Locator("[data-testid=transcript] mark.current");
        await Assertions.Expect(current).ToHaveCountAsync(1);
        await Assertions.Expect(current).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[Tt][Hh][Ee]$"));

        await page.PressAsync("#transcript-search", "Enter");
        await Assertions.Expect(page.GetByTestId("search-count")).ToHaveTextAsync($"2 of {expected}");
        Assert.Equal(1, await page.Locator("[data-testid=transcript] mark").Nth(1).EvaluateAsync<int>("m => m.classList.contains('current') ? 1 : 0"));
        await page.PressAsync("#transcript-search", "Shift+Enter");
        await page.PressAsync("#transcript-search", "Shift+Enter");
        await Assertions.Expect(page.GetByTestId("search-count")).ToHaveTextAsync($"{expected} of {expected}");

        await page.FillAsync("#transcript-search", "zebra-crossing");
        await Assertions.Expect(page.Locator("[data-testid=transcript] mark")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("search-count")).ToHaveTextAsync("no hits");
        browser.AssertCleanRun();
    }

    [SkippableFact]
    public async Task A_transcript_line_or_summary_bullet_with_markup_renders_as_text()
    {
        await using var browser = await OpenAsync($"#/recordings/{stack.CompletedId}");
        var page = browser.Page;
        var line = page.Locator("[data-testid=transcript-line]").Last;
        await Assertions.Expect(line.Locator(".text")).ToHaveTextAsync(ArchivePageFixture.MarkupLine);
        await Assertions.Expect(line.Locator(".speaker")).ToHaveTextAsync("<em>Mallory</em>");
        await Assertions.Expect(page.Locator("[data-testid=summary-section] li", new() { HasText = "<i>Ship</i>" }))
            .ToHaveTextAsync(ArchivePageFixture.MarkupBullet);

        Assert.Equal(0, await page.Locator("main script, main img, main b, main em, main i").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__injected ?? null"));
        browser.AssertCleanRun();
    }

    [SkippableFact]
    public async Task The_stop_button_stops_a_running_recording_and_a_409_is_shown_with_the_api_answer()
    {
        var harness = stack.Harness;
        var roomId = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(roomId, new { transcription = new { enabled = true } });
        await harness.WaitForPhaseAsync(id, "recording");
        await PipelineHarness.WaitUntilAsync(() => harness.Simulator.Engine.Recordings.Any(r => r.RoomId == roomId && r.Status == "running"));

        await using var browser = await OpenAsync($"#/recordings/{id}");
        var page = browser.Page;
        await Assertions.Expect(page.Locator("h1 [data-testid=phase]")).ToHaveTextAsync("recording");
        await browser.ScreenshotAsync("recording-running");
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop recording" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Stop requested" })).ToBeVisibleAsync();

        await PipelineHarness.WaitUntilAsync(() => harness.Simulator.Engine.Recordings.Any(r => r.RoomId == roomId && r.Status != "running"), TimeSpan.FromSeconds(60));
        var status = await harness.WaitForPhaseAsync(id, "transcribing");
        Assert.Contains(status["phases"]!.AsArray(), p => p!["phase"]!.GetValue<string>() == "stopping");
        await Assertions.Expect(page.Locator("h1 [data-testid=phase]")).Not.ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(recording|starting)$"));

        // A page that still shows the button after the recording stopped gets the API's 409, shown as it came.
        var stale = await stack.Browser.OpenAsync(PageUrl);
        await using (stale)
        {
            var second = harness.NewRoomId();
            var running = await harness.StartPipelineAsync(second, new { transcription = new { enabled = true } });
            await harness.WaitForPhaseAsync(running, "recording");
            await stale.Page.Clock.InstallAsync();   // the page's refresh timer waits for us
            await stale.Page.GotoAsync(PageUrl + $"#/recordings/{running}");
            var stop = stale.Page.GetByRole(AriaRole.Button, new() { Name = "Stop recording" });
            await Assertions.Expect(stop).ToBeVisibleAsync();
            await harness.Api.PostAsync($"api/recordings/{running}/stop", null);
            await harness.WaitForPhaseAsync(running, "transcribing");
            await stop.ClickAsync();
            var error = stale.Page.GetByTestId("command-error");
            await Assertions.Expect(error).ToContainTextAsync("The pipeline cannot stop now.");
            await Assertions.Expect(error).ToContainTextAsync("The recording has already stopped");
            stale.AssertCleanRun();
        }
        browser.AssertCleanRun();
    }

    [SkippableFact]
    public async Task The_start_form_shows_a_400_field_by_field_and_then_starts_the_recording()
    {
        await using var browser = await OpenAsync("#/start");
        var page = browser.Page;
        var roomId = stack.Harness.NewRoomId();
        await page.FillAsync("#room-id", roomId);
        await page.UncheckAsync("#mode-srt");
        await page.ClickAsync("text=Add a section");
        await page.FillAsync(".section-title", new string('x', 101));
        await page.ClickAsync("text=Add a section");
        await page.Locator(".section-title").Nth(1).FillAsync("Decisions");
        await page.FillAsync("#start-at", DateTime.Now.AddDays(-1).ToString("yyyy-MM-ddTHH:mm:ss"));
        await page.FillAsync("#duration", "600");
        await page.ClickAsync("button[type=submit]");

        var errors = page.GetByTestId("field-error");
        await Assertions.Expect(errors).ToHaveCountAsync(3);
        var byField = new Dictionary<string, (string Message, string? NextTo)>();
        for (var i = 0; i < 3; i++)
        {
            var error = errors.Nth(i);
            byField[(await error.GetAttributeAsync("data-field"))!] = (await error.InnerTextAsync(),
                await error.EvaluateAsync<string?>("e => e.previousElementSibling?.dataset.path ?? null"));
        }
        Assert.Equal(["duration", "start_at", "transcription.summary.sections[0].title"], byField.Keys.Order());
        Assert.Equal("transcription.summary.sections[0].title", byField["transcription.summary.sections[0].title"].NextTo);
        Assert.Contains("100", byField["transcription.summary.sections[0].title"].Message);
        Assert.Equal("start_at", byField["start_at"].NextTo);
        Assert.Contains("in the future", byField["start_at"].Message);
        Assert.Equal("duration", byField["duration"].NextTo);
        Assert.Equal("true", await page.GetAttributeAsync("#start-at", "aria-invalid"));
        await browser.ScreenshotAsync("start-400");
        Assert.Empty(await stack.Harness.Durable.GetAllInstancesAsync(new() { InstanceIdPrefix = roomId + "-" }).CollectAsync());

        await page.FillAsync(".section-title", "Agenda");
        await page.FillAsync("#start-at", "");
        await page.FillAsync("#duration", "");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("h1 [data-testid=phase]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(starting|recording)$"));
        var id = new Uri(page.Url).Fragment.Split('/')[^1];
        Assert.StartsWith(roomId + "-", id);
        var input = (await stack.Harness.Durable.GetInstanceAsync(id, getInputsAndOutputs: true))!.ReadInputAs<JsonObject>()!;
        Assert.Equal(["txt", "json"], input["request"]!["transcription"]!["output_modes"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(["Agenda", "Decisions"], input["request"]!["transcription"]!["summary"]!["sections"]!.AsArray().Select(s => s!["title"]!.GetValue<string>()));
        await stack.Harness.Api.PostAsync($"api/recordings/{id}/stop", null);
        browser.AssertCleanRun();
    }

    private static int CountOf(string text, string word)
    {
        var count = 0;
        for (var at = text.IndexOf(word, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(word, at + word.Length, StringComparison.OrdinalIgnoreCase)) count++;
        return count;
    }
}
