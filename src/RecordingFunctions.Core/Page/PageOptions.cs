namespace RecordingFunctions.Page;

/// <summary>Who may use the archive page (configuration section <c>Page</c>).</summary>
public sealed class PageOptions
{
    public const string Section = "Page";

    /// <summary>
    /// Requests from a browser on this machine (loopback address and a loopback Host header) need no sign-in and no key.
    /// Off unless set: the local host and local.settings.sample.json turn it on. Never honoured in Azure
    /// (<c>WEBSITE_INSTANCE_ID</c> set), where the Functions host forwards every request to the worker over loopback.
    /// </summary>
    public bool OpenOnLoopback { get; set; }

    /// <summary>
    /// Where a function key is checked: a function-level route of this app, so the Functions host itself decides
    /// whether the key is one of its keys. Defaults to <c>https://{WEBSITE_HOSTNAME}/api/page/key</c> in Azure; unset
    /// elsewhere (no Functions host, no keys).
    /// </summary>
    public Uri? KeyCheckUrl { get; set; }

    /// <summary>How long an answer of the key check is reused.</summary>
    public TimeSpan KeyCheckCacheTime { get; set; } = TimeSpan.FromMinutes(5);
}
