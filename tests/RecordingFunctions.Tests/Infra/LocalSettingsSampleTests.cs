using System.Text.Json.Nodes;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Infra;

/// <summary>No drift between the configuration the app reads and local.settings.sample.json, the starting point of a local run.</summary>
public sealed class LocalSettingsSampleTests
{
    /// <summary>Keys the app reads that the sample leaves out, and why.</summary>
    private static readonly Dictionary<string, string> NotInSample = new()
    {
        ["Hms__TokenLifetime"] = "24 h by default, as in 100ms's samples",
        ["RecordingStorage__ConnectionString"] = "falls back to AzureWebJobsStorage (Azurite)",
        ["RecordingStorage__BlobServiceUri"] = "for identity-based storage in Azure only",
        ["RecordingStorage__ClientId"] = "for identity-based storage in Azure only",
        ["AzureWebJobsStorage__blobServiceUri"] = "for identity-based storage in Azure only; locally AzureWebJobsStorage is a connection string",
        ["AzureWebJobsStorage__clientId"] = "for identity-based storage in Azure only",
        ["Calendar__Feeds"] = "no feeds until someone adds one (docs/calendar.md)",
        ["Calendar__MaxFeedBytes"] = "4 MiB per feed by default",
        ["Calendar__FeedTimeout"] = "30 s per feed by default",
        ["Calendar__AllowHttp"] = "only for a feed served over plain http on this machine",
        ["Page__KeyCheckUrl"] = "derived from WEBSITE_HOSTNAME; on loopback the page is open and checks no keys",
        ["Page__KeyCheckCacheTime"] = "a checked key is trusted for 5 minutes by default",
    };

    private static JsonObject Sample =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "local.settings.sample.json")))!["Values"]!.AsObject();

    [Fact]
    public void Every_key_the_app_reads_is_in_the_sample_or_listed_with_a_reason()
    {
        var sample = Sample;
        var missing = AppConfigurationKeys.All
            .Where(k => !sample.Any(s => AppConfigurationKeys.Find(s.Key) == k) && !NotInSample.ContainsKey(k.Name))
            .Select(k => k.Name)
            .ToList();
        Assert.True(missing.Count == 0, "Add these to local.settings.sample.json, or to NotInSample with a reason: " + string.Join(", ", missing));
        Assert.All(NotInSample.Keys, name => Assert.NotNull(AppConfigurationKeys.Find(name)));
    }

    [Fact]
    public void Telemetry_is_off_in_the_sample_until_an_endpoint_is_given()
    {
        var sample = Sample;
        foreach (var name in new[] { "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "OTEL_EXPORTER_OTLP_ENDPOINT" })
            Assert.Equal("", sample[name]?.GetValue<string>());
    }
}
