namespace RecordingFunctions.RunLocal;

/// <summary>What --func gives the app under the real Functions host (<see cref="HmsSimulator.FunctionsHostCommand"/> finds the host).</summary>
public static class FunctionsHost
{
    /// <summary>Settings only the Functions host reads: the timers' schedules, and Durable polling fit for a demo.</summary>
    public static IDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["CalendarSyncSchedule"] = "0 */5 * * * *",
        ["ArchiveSweepSchedule"] = "0 30 3 * * *",
        // The Durable extension backs off to 30 s between polls of an idle queue by default.
        ["AzureFunctionsJobHost:extensions:durableTask:storageProvider:maxQueuePollingInterval"] = "00:00:01",
    };
}
