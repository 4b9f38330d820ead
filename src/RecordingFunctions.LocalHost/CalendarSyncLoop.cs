using Microsoft.Extensions.Options;
using Microsoft.DurableTask.Client;
using RecordingFunctions.Scheduling;

namespace RecordingFunctions.LocalHost;

/// <summary>
/// The local stand-in for the timer trigger: syncs the configured calendar feeds every
/// <c>LocalHost:CalendarSyncInterval</c> (default 5 minutes; zero turns it off) while feeds are configured.
/// </summary>
public sealed class CalendarSyncLoop(
    CalendarSync sync, DurableTaskClient durable, IOptions<CalendarOptions> options, IConfiguration configuration, ILogger<CalendarSyncLoop> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("LocalHost:CalendarSyncInterval", TimeSpan.FromMinutes(5));
        if (options.Value.Feeds.Count == 0 || interval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await sync.SyncConfiguredFeedsAsync(durable, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Calendar sync failed; retrying in {Interval}", interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
