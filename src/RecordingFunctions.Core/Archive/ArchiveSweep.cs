using Microsoft.DurableTask;
using RecordingFunctions.Pipeline;

namespace RecordingFunctions.Archive;

/// <summary>
/// The sweep orchestration: pages through 100ms's recordings list and asks for an archive pipeline for each
/// recording in the range. Every step is an activity, so a restart resumes at the page it was on; and since
/// archive pipelines are created idempotently, a page done twice starts nothing twice.
/// </summary>
public static class ArchiveSweep
{
    public const string Orchestrator = "ArchiveSweep";
    public const string ListPage = "ListRecordingsPage";
    public const string ArchivePage = "ArchiveRecordingsPage";

    public static async Task<SweepReport> RunAsync(TaskOrchestrationContext context, SweepRequest request)
    {
        var retry = TaskOptions.FromRetryPolicy(new RetryPolicy(6, TimeSpan.FromSeconds(5), 2, TimeSpan.FromMinutes(5))
        {
            HandleFailure = failure => failure.ErrorType != typeof(PermanentFailureException).FullName,
        });
        var report = new SweepReport { Since = request.Since, Until = request.Until, RoomId = request.RoomId, By = request.By };
        context.SetCustomStatus(report);
        string? start = null;
        try
        {
            while (true)
            {
                var page = await context.CallActivityAsync<SweepPage>(ListPage, new SweepPageRequest(request.RoomId, start), retry);
                var inRange = page.Recordings
                    .Where(r => r.CreatedAt is { } created && created >= request.Since && created < request.Until)
                    .ToList();
                var outcomes = inRange.Count == 0 ? [] : await context.CallActivityAsync<List<SweepOutcome>>(ArchivePage, inRange, retry);
                report = report.Add(outcomes) with { Pages = report.Pages + 1 };
                context.SetCustomStatus(report);
                // 100ms lists newest first: once a whole page is older than the range, the rest is too.
                var olderThanRange = page.Recordings.Count > 0 && page.Recordings.All(r => r.CreatedAt < request.Since);
                if (page.Next is null || olderThanRange) break;
                start = page.Next;
            }
        }
        catch (TaskFailedException failure)
        {
            report = report with { Error = failure.FailureDetails.ErrorMessage };
        }
        report = report with { Done = true };
        context.SetCustomStatus(report);
        return report;
    }
}
