using System.Net;
using Microsoft.Extensions.Options;

namespace RecordingFunctions.Storage;

/// <summary>
/// A download of a recording file that failed. When <see cref="IsRetryable"/>, the next attempt asks 100ms for a fresh
/// URL; a URL on a host that is not allowed is refused for good.
/// </summary>
public sealed class AssetDownloadException(string message, HttpStatusCode? status = null, Exception? inner = null, bool isRetryable = true)
    : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;

    public bool IsRetryable { get; } = isRetryable;
}

/// <summary>Opens presigned URLs as streams, only on allowed hosts, and fails a download that ends short.</summary>
public class AssetDownloader(HttpClient http, IOptions<AssetDownloadOptions> options)
{
    public const string HttpClientName = "asset-downloads";

    public virtual async Task<Stream> OpenAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !options.Value.Allows(uri))
            throw new AssetDownloadException(
                $"Refused to download from {Describe(url)}: the host is not on the Downloads:AllowedHosts list.", isRetryable: false);

        var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            // Without the query: a presigned URL's signature is a bearer credential.
            throw new AssetDownloadException($"Download from {Describe(url)} answered {(int)response.StatusCode}.", response.StatusCode);
        }
        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return new LengthCheckedStream(body, response.Content.Headers.ContentLength, response);
    }

    private static string Describe(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Path) : "an invalid URL";

    /// <summary>Throws at the end of the stream when fewer bytes arrived than the server announced.</summary>
    private sealed class LengthCheckedStream(Stream inner, long? expectedLength, IDisposable owner) : ReadOnlyStream
    {
        private long received;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read;
            try
            {
                read = await inner.ReadAsync(buffer, cancellationToken);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw new AssetDownloadException($"The download broke off after {received} bytes.", inner: e);
            }
            received += read;
            if (read == 0 && buffer.Length > 0 && expectedLength is { } expected && received != expected)
                throw new AssetDownloadException($"The download ended after {received} of {expected} bytes.");
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                owner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
