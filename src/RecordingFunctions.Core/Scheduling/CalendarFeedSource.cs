using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace RecordingFunctions.Scheduling;

/// <summary>
/// Fetches a feed's iCalendar text from its HTTPS URL or its blob, with a size limit. Feed URLs often carry a private
/// token, so errors name the feed, never its URL.
/// </summary>
public class CalendarFeedSource(IHttpClientFactory httpClients, BlobServiceClient blobs, IOptions<CalendarOptions> options)
{
    public const string HttpClientName = "calendar-feeds";

    /// <exception cref="CalendarFeedUnavailableException">The feed could not be fetched.</exception>
    public virtual async Task<string> FetchAsync(CalendarFeedOptions feed, CancellationToken cancellationToken)
    {
        var maxBytes = options.Value.MaxFeedBytes;
        try
        {
            if (feed.Blob is not null)
            {
                var (container, path) = (feed.Blob[..feed.Blob.IndexOf('/')], feed.Blob[(feed.Blob.IndexOf('/') + 1)..]);
                var blob = blobs.GetBlobContainerClient(container).GetBlobClient(path);
                var download = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken);
                await using var content = download.Value.Content;
                return await ReadLimitedAsync(content, maxBytes, feed.Name, cancellationToken);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.FeedTimeout);
            var http = httpClients.CreateClient(HttpClientName);
            using var response = await http.GetAsync(feed.Url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
                throw new CalendarFeedUnavailableException($"Feed '{feed.Name}' answered HTTP {(int)response.StatusCode}.");
            if (response.Content.Headers.ContentLength > maxBytes) throw TooLarge(feed.Name, maxBytes);
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            return await ReadLimitedAsync(stream, maxBytes, feed.Name, timeout.Token);
        }
        catch (RequestFailedException e)
        {
            throw new CalendarFeedUnavailableException($"Feed '{feed.Name}' could not be read from blob storage: {e.Status} {e.ErrorCode}.");
        }
        catch (HttpRequestException e)
        {
            throw new CalendarFeedUnavailableException($"Feed '{feed.Name}' could not be fetched: {e.HttpRequestError}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CalendarFeedUnavailableException($"Feed '{feed.Name}' did not answer within {options.Value.FeedTimeout.TotalSeconds:0} s.");
        }
    }

    private static async Task<string> ReadLimitedAsync(Stream stream, int maxBytes, string feedName, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw TooLarge(feedName, maxBytes);
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static CalendarFeedUnavailableException TooLarge(string feedName, int maxBytes) =>
        new($"Feed '{feedName}' is larger than Calendar:MaxFeedBytes ({maxBytes} bytes).");
}

public sealed class CalendarFeedUnavailableException(string message) : Exception(message);
