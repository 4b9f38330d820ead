using System.Text.Json.Nodes;
using RecordingFunctions.HmsSimulator;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Pipeline;

/// <summary>
/// Faults from 100ms and the network, each ending in its documented phase with every expected blob present once.
/// (More of the matrix lives in PipelineIntegrationTests and RestartTests.)
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FaultMatrixTests(AzuriteFixture azurite)
{
    private static readonly object Transcribed = new
    {
        transcription = new { enabled = true, output_modes = new[] { "txt", "srt", "json" }, summary = new { enabled = true } },
    };

    private static readonly string[] AllFiles = ["manifest.json", "summary.json", "summary.md", "transcript.json", "transcript.srt", "transcript.txt"];

    private async Task<(PipelineHarness Harness, JsonObject Final, string Room)> RunAsync(
        FaultSettings faults, IDictionary<string, string?>? settings = null, bool endMeeting = true)
    {
        var harness = await PipelineHarness.StartAsync(azurite.ConnectionString, settings: settings);
        harness.Simulator.Engine.SetFaults(faults);
        var room = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(room, Transcribed);
        if (endMeeting) await harness.RecordThenEndRoomAsync(id, room, TimeSpan.FromSeconds(1));
        return (harness, await harness.WaitForEndAsync(id), room);
    }

    private static async Task AssertAllFilesAsync(PipelineHarness harness, string room, JsonObject final)
    {
        var recording = harness.Simulator.Engine.Find(final["recording_id"]!.GetValue<string>())!;
        var blobs = await harness.DownloadBlobsAsync(room, recording.Id);
        Assert.Equal(AllFiles, blobs.Keys.Order());
        foreach (var asset in recording.Assets.Where(a => a.Type is "transcript" or "summary"))
            Assert.Equal(asset.Content, blobs[asset.FileName]);
    }

    [Fact]
    public async Task Rate_limits_on_start_are_retried()
    {
        var (harness, final, room) = await RunAsync(new FaultSettings
        {
            Endpoints = [new EndpointFault { Endpoint = Endpoints.Start, Status = 429, Count = 1 }, new EndpointFault { Endpoint = Endpoints.Start, Status = 503, Count = 1 }],
        });
        await using var _ = harness;

        Assert.Equal("completed", final["phase"]!.GetValue<string>());
        Assert.Equal(3, harness.Simulator.Engine.CallsTo(Endpoints.Start));
        await AssertAllFilesAsync(harness, room, final);
    }

    [Fact]
    public async Task A_401_that_persists_ends_failed_after_one_remint_per_attempt()
    {
        var (harness, final, _) = await RunAsync(
            new FaultSettings { Endpoints = [new EndpointFault { Endpoint = Endpoints.Start, Status = 401, Count = 1000 }] }, endMeeting: false);
        await using var _ = harness;

        Assert.Equal("failed", final["phase"]!.GetValue<string>());
        Assert.Contains("401", final["error"]!.GetValue<string>());
        Assert.Equal(2, harness.Simulator.Engine.CallsTo(Endpoints.Start));
        Assert.Empty(harness.Simulator.Engine.Recordings);
    }

    [Fact]
    public async Task A_single_401_is_healed_by_the_remint()
    {
        var (harness, final, room) = await RunAsync(
            new FaultSettings { Endpoints = [new EndpointFault { Endpoint = Endpoints.Start, Status = 401, Count = 1 }] });
        await using var _ = harness;

        Assert.Equal("completed", final["phase"]!.GetValue<string>());
        Assert.Equal(2, harness.Simulator.Engine.CallsTo(Endpoints.Start));
        await AssertAllFilesAsync(harness, room, final);
    }

    [Fact]
    public async Task An_expired_presigned_url_is_replaced_by_a_fresh_one()
    {
        var (harness, final, room) = await RunAsync(new FaultSettings { ExpiredPresignedUrls = 2 });
        await using var _ = harness;

        Assert.Equal("completed", final["phase"]!.GetValue<string>());
        Assert.Equal(6, harness.Simulator.Engine.CallsTo(Endpoints.PresignedUrl));
        await AssertAllFilesAsync(harness, room, final);
    }

    [Fact]
    public async Task A_download_cut_off_midway_is_retried_and_leaves_no_truncated_blob()
    {
        var (harness, final, room) = await RunAsync(new FaultSettings { TruncateDownloads = 3 });
        await using var _ = harness;

        Assert.True(final["phase"]!.GetValue<string>() == "completed", final.ToJsonString());
        Assert.Equal(7, harness.Simulator.Engine.CallsTo(Endpoints.Download));
        await AssertAllFilesAsync(harness, room, final);
    }

    [Fact]
    public async Task A_recording_that_never_ends_is_stopped_at_its_maximum_duration_and_processed()
    {
        var (harness, final, room) = await RunAsync(new FaultSettings { NeverEndRecordings = true },
            new Dictionary<string, string?> { ["Pipeline:MaxRecordingDuration"] = "00:05:00", ["Pipeline:RecordingEndMargin"] = "00:02:00" },
            endMeeting: false);
        await using var _ = harness;

        Assert.Equal("completed", final["phase"]!.GetValue<string>());
        Assert.Equal(1, harness.Simulator.Engine.CallsTo(Endpoints.StopRecording));
        Assert.Empty(harness.Simulator.Engine.Deliveries);
        await AssertAllFilesAsync(harness, room, final);
    }
}
