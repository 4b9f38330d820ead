using RecordingFunctions.Storage;

namespace RecordingFunctions.Tests.Storage;

/// <summary>Which presigned URLs the copy activity may follow: a URL from 100ms must not turn into a request elsewhere.</summary>
public class AssetDownloadOptionsTests
{
    private static readonly AssetDownloadOptions Production = new();

    [Theory]
    [InlineData("https://hms-recordings.s3.ap-south-1.amazonaws.com/room/transcript.txt?X-Amz-Signature=abc", true)]
    [InlineData("https://storage.googleapis.com/bucket/summary.json", true)]
    [InlineData("https://cdn.100ms.live/x", true)]
    [InlineData("https://acct.blob.core.windows.net/c/b", true)]
    [InlineData("http://hms-recordings.s3.amazonaws.com/x", false)]
    [InlineData("https://evil.example/x", false)]
    [InlineData("https://amazonaws.com.evil.example/x", false)]
    [InlineData("https://evil-amazonaws.com/x", false)]
    [InlineData("https://127.0.0.1/x", false)]
    [InlineData("https://localhost/x", false)]
    [InlineData("https://10.0.0.5/x", false)]
    [InlineData("https://169.254.169.254/metadata/identity/oauth2/token", false)]
    [InlineData("https://[::1]/x", false)]
    [InlineData("file:///etc/passwd", false)]
    [InlineData("ftp://files.100ms.live/x", false)]
    public void Production_defaults_allow_only_https_to_100ms_storage_hosts(string url, bool allowed)
    {
        Assert.Equal(allowed, Production.Allows(new Uri(url)));
    }

    [Fact]
    public void An_address_literal_needs_an_exact_entry_and_http_needs_to_be_switched_on()
    {
        var local = new AssetDownloadOptions { AllowedHosts = ["127.0.0.1"], AllowHttp = true };
        var wildcard = new AssetDownloadOptions { AllowedHosts = ["*.0.0.1", "*.1"] };

        Assert.True(local.Allows(new Uri("http://127.0.0.1:5080/files/x")));
        Assert.False(local.Allows(new Uri("http://127.0.0.2:5080/files/x")));
        Assert.False(wildcard.Allows(new Uri("https://127.0.0.1/x")));
        Assert.False(new AssetDownloadOptions { AllowedHosts = ["127.0.0.1"] }.Allows(new Uri("http://127.0.0.1/x")));
    }
}
