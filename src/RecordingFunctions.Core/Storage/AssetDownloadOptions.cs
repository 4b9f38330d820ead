using System.Net;

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
