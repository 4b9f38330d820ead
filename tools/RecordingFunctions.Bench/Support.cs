using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RecordingFunctions.HmsSimulator;

namespace RecordingFunctions.Bench;

/// <summary>The app's own service registrations, pointed at the simulator and a storage account.</summary>
public static class Services
{
    public static ServiceProvider Build(string storage, HmsSimulatorHost simulator) =>
        new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddRecordingFunctions(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(simulator.AppSettings())
            {
                ["AzureWebJobsStorage"] = storage,
                ["RecordingStorage:Container"] = "bench",
            }).Build())
            .BuildServiceProvider();
}

/// <summary>Samples this process's working set every 20 ms; the peak is what the run cost in memory.</summary>
public sealed class MemorySampler
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task<long> sampling;

    private MemorySampler() => sampling = Task.Run(async () =>
    {
        long peak = 0;
        using var self = Process.GetCurrentProcess();
        while (!stop.IsCancellationRequested)
        {
            self.Refresh();
            peak = Math.Max(peak, self.WorkingSet64);
            try { await Task.Delay(20, stop.Token); } catch (OperationCanceledException) { }
        }
        return peak;
    });

    public static MemorySampler Start() => new();

    public async Task<long> StopAsync()
    {
        stop.Cancel();
        return await sampling;
    }
}

public static class Percentiles
{
    public static double Of(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];
}
