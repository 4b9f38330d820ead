using System.Diagnostics;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using RecordingFunctions.HmsSimulator;
using RecordingFunctions.Hms;
using RecordingFunctions.Pipeline;
using RecordingFunctions.Pipeline.Activities;

namespace RecordingFunctions.Bench;

/// <summary>
/// One large asset copied simulator → Azurite by the copy activity, against a plain baseline (HTTP GET stream
/// straight into BlobClient.UploadAsync) in the same process. Run once per size and mode, in a fresh process, so
/// that the peak working set belongs to that run alone.
/// </summary>
public static class CopyBenchmark
{
    public static async Task<Result> RunAsync(string storage, long sizeBytes, bool baseline)
    {
        await using var simulator = await HmsSimulatorHost.StartAsync(o =>
        {
            o.TimeScale = 1000;
            o.CompositeSize = sizeBytes;
        });
        var engine = simulator.Engine;
        var room = engine.NewId();
        var recording = engine.Start(room, new StartBody());
        while (recording.Status != "running") await Task.Delay(20);
        engine.StopRoom(room);
        SimulatedAsset? composite;
        while ((composite = engine.Assets.FirstOrDefault(a => a.Recording == recording && a.Type == "room-composite")) is null) await Task.Delay(20);

        await using var services = Services.Build(storage, simulator);
        var hms = services.GetRequiredService<HmsClient>();
        var container = new BlobServiceClient(storage).GetBlobContainerClient("bench");
        await container.CreateIfNotExistsAsync();

        var memory = MemorySampler.Start();
        var clock = Stopwatch.StartNew();
        if (baseline)
        {
            var url = await hms.GetPresignedUrlAsync(composite.Id, TimeSpan.FromMinutes(30));
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            using var response = await http.GetAsync(url.Url, HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            await container.GetBlobClient($"baseline/{Guid.NewGuid():N}").UploadAsync(body);
        }
        else
        {
            var copy = services.GetRequiredService<CopyAssetActivity>();
            // The copy activity names blobs after transcripts; the composite stands in for a very long transcript.
            await copy.RunAsync(new CopyAssetInput(room, recording.SessionId, recording.Id,
                new RecordingAsset(composite.Id, HmsAssetTypes.Transcript, "txt", HmsAssetStatus.Completed, composite.Size)), CancellationToken.None);
        }
        clock.Stop();
        var peak = await memory.StopAsync();
        return new Result(baseline ? "baseline" : "copy activity", sizeBytes, clock.Elapsed, peak);
    }

    public sealed record Result(string Mode, long Bytes, TimeSpan Elapsed, long PeakWorkingSet)
    {
        public double MegabytesPerSecond => Bytes / 1024.0 / 1024.0 / Elapsed.TotalSeconds;
    }
}
