using Microsoft.DurableTask.Client;
using RecordingFunctions.Hms;

namespace RecordingFunctions.Archive;

/// <summary>One page (100 recordings) of 100ms's <c>GET /v2/recordings</c>.</summary>
public sealed class ListRecordingsPageActivity(HmsClient hms)
{
    public const int PageSize = 100;

    public async Task<SweepPage> RunAsync(SweepPageRequest request, CancellationToken cancellationToken)
    {
        var page = await hms.ListRecordingsAsync(new RecordingListQuery { RoomId = request.RoomId, Start = request.Start, Limit = PageSize }, cancellationToken);
        var items = page.Data
            .Where(r => HmsLimits.IsHmsId(r.Id) && HmsLimits.IsHmsId(r.RoomId))
            .Select(r => new SweepItem(r.Id, r.RoomId!, r.SessionId, r.Status ?? "", r.CreatedAt))
            .ToList();
        return new SweepPage(items, page.HasMore && page.Last != request.Start ? page.Last : null);
    }
}

/// <summary>Starts the archive pipelines a page of recordings needs, a few at a time.</summary>
public sealed class ArchiveRecordingsPageActivity(RecordingArchiver archiver, HmsClient hms)
{
    private const int Parallel = 8;

    public async Task<List<SweepOutcome>> RunAsync(IReadOnlyList<SweepItem> items, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var outcomes = new SweepOutcome[items.Count];
        await System.Threading.Tasks.Parallel.ForEachAsync(Enumerable.Range(0, items.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancellationToken },
            async (i, token) => outcomes[i] = await archiver.ArchiveForSweepAsync(durable, hms, items[i], token));
        return [.. outcomes];
    }
}
