using System.Net;
using System.Text;
using RecordingFunctions.Hms;
using RecordingFunctions.HmsSimulator;
using RecordingFunctions.Tests.Validation;

namespace RecordingFunctions.Tests.Hms;

/// <summary>The product's 100ms client against the running simulator, over real HTTP.</summary>
public sealed class HmsClientContractTests : IAsyncLifetime
{
    private HmsSimulatorHost simulator = null!;

    public async Task InitializeAsync() => simulator = await HmsSimulatorHost.StartAsync(o => o.TimeScale = 600);

    public async Task DisposeAsync() => await simulator.DisposeAsync();

    private HmsOptions Keys => new() { AccessKey = simulator.Options.AccessKey, AppSecret = simulator.Options.AppSecret };

    private HmsClient Client() => HmsTestClients.Create(simulator.ApiUrl, Keys).Client;

    private static readonly StartRecordingRequest Transcribed = new()
    {
        MeetingUrl = "https://acme.app.100ms.live/preview/room/beam?skip_preview=true",
        Transcription = new TranscriptionSettings
        {
            Enabled = true,
            OutputModes = ["txt", "srt", "json"],
            Summary = new SummarySettings
            {
                Enabled = true,
                Sections = [new() { Title = "Agenda", Format = "bullets" }, new() { Title = "Short Summary", Format = "paragraph" }],
            },
        },
    };

    [Fact]
    public async Task The_whole_lifecycle_through_to_downloading_each_asset()
    {
        var client = Client();
        var room = simulator.Engine.NewId();

        var started = await client.StartRecordingAsync(room, Transcribed);
        Assert.Equal(HmsRecordingStatus.Starting, started.Status);
        Assert.Equal(room, started.RoomId);
        Assert.True(HmsLimits.IsHmsId(started.SessionId));
        Assert.Null(started.StartedAt);
        Assert.Null(started.RecordingAssets);
        Assert.Equal(["room-composite", "chat", "transcript", "summary"], started.AssetTypes);

        await Until(async () => (await client.GetRecordingAsync(started.Id)).Status == HmsRecordingStatus.Running);
        await Task.Delay(1000);
        var stopped = await client.StopRecordingAsync(started.Id);
        Assert.Equal(HmsRecordingStatus.Stopping, stopped.Status);

        await Until(async () => (await client.GetRecordingAsync(started.Id)).RecordingAssets?.Count(a => a.Status == HmsAssetStatus.Completed) == 6);
        var recording = await client.GetRecordingAsync(started.Id);
        Assert.Equal(HmsRecordingStatus.Completed, recording.Status);
        Assert.NotNull(recording.StartedAt);
        Assert.True(recording.StoppedAt > recording.StartedAt);


        var files = new Dictionary<string, byte[]>();
        using var download = new HttpClient();
        foreach (var asset in recording.RecordingAssets!)
        {
            var url = await client.GetPresignedUrlAsync(asset.Id, TimeSpan.FromMinutes(10));
            Assert.Equal(600, url.Expiry);
            var bytes = await download.GetByteArrayAsync(url.Url);
            Assert.Equal(asset.Size, bytes.LongLength);
            files[asset.Type + "." + asset.Metadata?.OutputMode] = bytes;
        }

        var transcript = HmsTranscript.Parse(files["transcript.json"]);
        var txtTurns = Encoding.UTF8.GetString(files["transcript.txt"]).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var srtCues = Encoding.UTF8.GetString(files["transcript.srt"]).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(transcript.Sentences.Count, txtTurns.Length);
        Assert.Equal(transcript.Sentences.Count, srtCues.Length);
        Assert.Equal($"{transcript.Sentences[0].Name}: {transcript.Sentences[0].Sentence}", txtTurns[0].Trim());
        Assert.Contains(TimeSpan.FromMilliseconds(transcript.Sentences[0].StartTime).ToString(@"hh\:mm\:ss\,fff"), srtCues[0]);
        Assert.True(transcript.Words.Count > transcript.Sentences.Count);

        var summary = HmsSummary.Parse(files["summary.json"]);
        Assert.Equal(["Speakers", "Agenda", "Short Summary"], summary.Sections.Select(s => s.Title));
        Assert.Equal("paragraph", summary.Sections[2].Format);
        Assert.NotEmpty(summary.Sections[1].Bullets!);
    }

    [Fact]
    public async Task A_rejected_token_is_reminted_once_then_reported_as_401()
    {
        var (client, tokens) = HmsTestClients.Create(simulator.ApiUrl, Keys with { AppSecret = "a-wrong-secret-that-is-long-enough-0000" });

        var error = await Assert.ThrowsAsync<HmsApiException>(() => client.GetRecordingAsync(simulator.Engine.NewId()));

        Assert.Equal(401, error.StatusCode);
        Assert.Equal("Token validation error", error.HmsMessage);
        Assert.False(error.IsRetryable);
        Assert.Equal(1, tokens.Refreshes);
    }

    [Fact]
    public async Task A_cached_token_refused_after_a_secret_rotation_is_reminted_once_and_the_call_succeeds()
    {
        var keys = Keys;
        var (client, tokens) = HmsTestClients.Create(simulator.ApiUrl, keys);
        await client.ListRecordingsAsync(new RecordingListQuery());

        // The app secret is rotated in 100ms and in our secret store; the cached token is signed with the old one.
        const string rotated = "rotated-app-secret-0123456789abcdef0123";
        simulator.Options.AppSecret = rotated;
        keys.AppSecret = rotated;
        var page = await client.ListRecordingsAsync(new RecordingListQuery());

        Assert.NotNull(page);
        Assert.Equal(1, tokens.Refreshes);
    }

    [Fact]
    public async Task A_premade_management_token_is_accepted()
    {
        var token = HmsSimulatorApp.MintToken(simulator.Options, TimeSpan.FromHours(1));
        var (client, tokens) = HmsTestClients.Create(simulator.ApiUrl, new HmsOptions { ManagementToken = token });

        var page = await client.ListRecordingsAsync(new RecordingListQuery { Limit = 10 });

        Assert.Equal(10, page.Limit);
        Assert.False(tokens.CanRefresh);
    }

    [Fact]
    public async Task A_second_start_in_a_room_is_409_beam_already_started()
    {
        var client = Client();
        var room = simulator.Engine.NewId();
        await client.StartRecordingAsync(room, new StartRecordingRequest());

        var error = await Assert.ThrowsAsync<HmsApiException>(() => client.StartRecordingAsync(room, new StartRecordingRequest()));

        Assert.Equal(409, error.StatusCode);
        Assert.Equal("beam already started", error.HmsMessage);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public async Task Stopping_or_reading_a_recording_100ms_does_not_know_is_404()
    {
        var client = Client();

        var stop = await Assert.ThrowsAsync<HmsApiException>(() => client.StopRecordingAsync(simulator.Engine.NewId()));
        var get = await Assert.ThrowsAsync<HmsApiException>(() => client.GetRecordingAsync(simulator.Engine.NewId()));

        Assert.Equal(404, stop.StatusCode);
        Assert.Equal("beam not found", stop.HmsMessage);
        Assert.Equal(404, get.StatusCode);
    }

    [Fact]
    public async Task Listing_pages_across_more_than_100_recordings()
    {
        var rooms = Enumerable.Range(0, 130).Select(_ => simulator.Engine.NewId()).ToList();
        foreach (var room in rooms) simulator.Engine.Start(room, new StartBody());
        var client = Client();

        var firstPage = await client.ListRecordingsAsync(new RecordingListQuery { Limit = 100 });
        var all = firstPage.Data.ToList();
        for (var page = firstPage; page.HasMore;)
        {
            page = await client.ListRecordingsAsync(new RecordingListQuery { Limit = 100, Start = page.Last });
            all.AddRange(page.Data);
        }

        Assert.Equal(130, all.Select(r => r.Id).Distinct().Count());
        Assert.Equal(rooms.Order(), all.Select(r => r.RoomId!).Order());
        Assert.Equal(100, firstPage.Data.Count);
        Assert.True(firstPage.HasMore);
        Assert.All(all, r => Assert.Null(r.RecordingAssets));
        var tooSmall = await Assert.ThrowsAsync<HmsApiException>(() => client.ListRecordingsAsync(new RecordingListQuery { Limit = 5 }));
        Assert.Equal(400, tooSmall.StatusCode);
    }

    public static TheoryData<string, string> Violations => new()
    {
        { """{"transcription":{"enabled":true,"summary":{"enabled":true,"sections":[{"title":"1","format":"bullets"},{"title":"2","format":"bullets"},{"title":"3","format":"bullets"},{"title":"4","format":"bullets"},{"title":"5","format":"bullets"},{"title":"6","format":"bullets"},{"title":"7","format":"bullets"}]}}}""", "transcription.summary.sections" },
        { "{\"transcription\":{\"enabled\":true,\"summary\":{\"enabled\":true,\"context\":\"" + new string('c', 301) + "\"}}}", "transcription.summary.context" },
        { "{\"transcription\":{\"enabled\":true,\"summary\":{\"enabled\":true,\"sections\":[{\"title\":\"" + new string('t', 101) + "\",\"format\":\"bullets\"}]}}}", "transcription.summary.sections[0].title" },
        { """{"transcription":{"enabled":true,"summary":{"enabled":true,"sections":[{"title":"Agenda","format":"table"}]}}}""", "transcription.summary.sections[0].format" },
        { """{"transcription":{"enabled":true,"summary":{"enabled":true,"temperature":1.01}}}""", "transcription.summary.temperature" },
        { """{"transcription":{"enabled":true,"summary":{"enabled":true,"temperature":0.09}}}""", "transcription.summary.temperature" },
        { """{"transcription":{"enabled":true,"output_modes":["txt","vtt"]}}""", "transcription.output_modes[1]" },
        { """{"transcription":{"enabled":true,"output_modes":["txt","txt"]}}""", "transcription.output_modes[1]" },
        { """{"resolution":{"width":1921,"height":1080}}""", "resolution.width" },
        { """{"resolution":{"width":1080,"height":1921}}""", "resolution.height" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task Every_limit_is_enforced_on_both_sides(string body, string path)
    {
        var room = simulator.Engine.NewId();
        var ours = StartRequests.Validate(room, Encoding.UTF8.GetBytes(body));
        Assert.Contains(ours.Errors, e => e.Path == path);

        using var http = new HttpClient { BaseAddress = simulator.ApiUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", HmsSimulatorApp.MintToken(simulator.Options, TimeSpan.FromMinutes(5)));
        var theirs = await http.PostAsync($"recordings/room/{room}/start", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, theirs.StatusCode);
        Assert.Contains("Invalid body param", await theirs.Content.ReadAsStringAsync());
    }

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException();
            await Task.Delay(50);
        }
    }
}
