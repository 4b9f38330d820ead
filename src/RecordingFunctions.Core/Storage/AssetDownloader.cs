using System.Net;
using Microsoft.Extensions.Options;
using RecordingFunctions.Pipeline;

namespace RecordingFunctions.Storage;

/// <summary>Which hosts recording files may be downloaded from. Configuration section <c>Downloads</c>.</summary>
public sealed class AssetDownloadOptions
{
    public const string Section = "Downloads";

    /// <summary>
    /// Host names, or <c>*.suffix</c> wildcards, that presigned URLs may point to. The default covers 100ms's own
    /// storage and the cloud buckets it writes to; add your own bucket's host if it has a custom domain.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Allows plain http (the local simulator). Never enable in production.</summary>
    public bool AllowHttp { get; set; }

    public static readonly IReadOnlyList<string> DefaultAllowedHosts =
        ["*.100ms.live", "*.amazonaws.com", "*.googleapis.com", "*.aliyuncs.com", "*.blob.core.windows.net"];

    public bool Allows(Uri url)
    {
        if (!url.IsAbsoluteUri || url.Scheme != Uri.UriSchemeHttps && !(AllowHttp && url.Scheme == Uri.UriSchemeHttp))
            return false;
        var hosts = AllowedHosts.Count > 0 ? AllowedHosts : DefaultAllowedHosts;
        var host = url.IdnHost;
        // An address literal is allowed only when listed exactly: no wildcard reaches loopback or a private network.
        if (IPAddress.TryParse(host.Trim('[', ']'), out _))
            return hosts.Any(pattern => string.Equals(host, pattern, StringComparison.OrdinalIgnoreCase));
        return hosts.Any(pattern => pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase) && host.Length > pattern.Length - 1
            : string.Equals(host, pattern, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>A download of a recording file that failed; the next attempt asks 100ms for a fresh URL.</summary>
public sealed class AssetDownloadException(string message, HttpStatusCode? status = null, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>Opens presigned URLs as streams, only on allowed hosts, and fails a download that ends short.</summary>
public class AssetDownloader(HttpClient http, IOptions<AssetDownloadOptions> options)
{
    public const string HttpClientName = "asset-downloads";

    public virtual async Task<Stream> OpenAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !options.Value.Allows(uri))
            throw new PermanentFailureException($"Refused to download from {Describe(url)}: the host is not on the Downloads:AllowedHosts list.");

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
