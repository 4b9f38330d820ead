using System.Text;
using System.Text.Json;
using RecordingFunctions.Hms;
using RecordingFunctions.Storage;

namespace RecordingFunctions.Pipeline.Activities;

/// <summary>Reads the copied <c>summary.json</c> back and writes <c>summary.md</c> beside it.</summary>
public sealed class RenderSummaryActivity(RecordingArchive archive)
{
    // A summary is a few kilobytes; this bounds what is read into memory if the file is not what it claims.
    private const int MaxSummaryBytes = 4 * 1024 * 1024;

    public async Task<CopiedBlob> RunAsync(RenderSummaryInput input, CancellationToken cancellationToken)
    {
        var jsonName = RecordingBlobLayout.BlobName(input.RoomId, input.RecordingId, RecordingBlobLayout.SummaryJson);
        using var json = new MemoryStream();
        await using (var source = await archive.OpenReadAsync(jsonName, cancellationToken))
        {
            if (source.Length > MaxSummaryBytes) throw new PermanentFailureException($"{jsonName} is larger than {MaxSummaryBytes} bytes.");
            await source.CopyToAsync(json, cancellationToken);
        }

        HmsSummary summary;
        try
        {
            summary = HmsSummary.Parse(json.GetBuffer().AsSpan(0, (int)json.Length));
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // Reading it again will not help: no retries.
            throw new PermanentFailureException($"the summary cannot be rendered: {e.Message}", e);
        }
        var markdown = SummaryMarkdown.Render(summary, $"Meeting summary — room {input.RoomId}, recording {input.RecordingId}");
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(markdown));
        return await archive.UploadAsync(
            RecordingBlobLayout.BlobName(input.RoomId, input.RecordingId, RecordingBlobLayout.SummaryMarkdown),
            content, RecordingBlobLayout.Metadata(input.RoomId, input.SessionId, input.RecordingId), assetId: null, cancellationToken);
    }
}
