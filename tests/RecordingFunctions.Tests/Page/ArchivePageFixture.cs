using System.Text.Json.Nodes;
using Azure.Storage.Blobs.Models;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Page;

/// <summary>
/// The local stack (local host, simulator, Azurite) with one recording archived end to end, whose transcript and
/// summary then get lines with markup in them, as a meeting's words may carry: the page must show them as text.
/// </summary>
public sealed class ArchivePageFixture : IAsyncLifetime
{
    public const string MarkupLine = "<script>window.__injected = 1</script><b>not bold</b> & <img src=x onerror=\"window.__injected = 2\">";
    public const string MarkupBullet = "<i>Ship</i> the <script>alert(1)</script> fix";

    private readonly AzuriteFixture azurite = new();

    public Browser Browser { get; } = new();
    public PipelineHarness Harness { get; private set; } = null!;
    public string RoomId { get; private set; } = "";
    public string CompletedId { get; private set; } = "";
    public JsonObject Completed { get; private set; } = null!;

    public static readonly (string Title, string Format)[] Sections = [("Agenda", "bullets"), ("Decisions", "bullets"), ("Short Summary", "paragraph")];

    public async Task InitializeAsync()
    {
        await Browser.InitializeAsync();
        await azurite.InitializeAsync();
        // 100ms's own maximum, so that a recording runs (48 s at the harness's time scale) until the tests stop it.
        Harness = await PipelineHarness.StartAsync(azurite.ConnectionString,
            settings: new Dictionary<string, string?> { ["Pipeline:MaxRecordingDuration"] = "04:00:00" });
        RoomId = Harness.NewRoomId();
        CompletedId = await Harness.StartPipelineAsync(RoomId, new
        {
            transcription = new
            {
                enabled = true,
                output_modes = new[] { "txt", "srt", "json" },
                summary = new { enabled = true, sections = Sections.Select(s => new { title = s.Title, format = s.Format }) },
            },
        });
        await Harness.RecordThenEndRoomAsync(CompletedId, RoomId, TimeSpan.FromSeconds(2));
        Completed = await Harness.WaitForEndAsync(CompletedId);
        Assert.Equal("completed", Completed["phase"]!.GetValue<string>());

        var prefix = $"{RoomId}/{Completed["recording_id"]!.GetValue<string>()}/";
        await RewriteAsync(prefix + "transcript.json", json =>
            json["sentences"]!.AsArray().Add(new JsonObject
            {
                ["sentence"] = MarkupLine, ["name"] = "<em>Mallory</em>", ["peer_id"] = "x", ["start_time"] = "900000", ["end_time"] = "901000",
            }));
        await RewriteAsync(prefix + "summary.json", json =>
            (json["summary"]?["sections"] ?? json["sections"])!.AsArray()[1]!["bullets"]!.AsArray().Add(MarkupBullet));
    }

    /// <summary>The archived transcript.json's sentences, as the page should list them.</summary>
    public async Task<List<(string Speaker, string Text)>> TranscriptSentencesAsync()
    {
        var json = await ReadAsync($"{RoomId}/{Completed["recording_id"]!.GetValue<string>()}/transcript.json");
        return [.. json["sentences"]!.AsArray().Select(s => (s!["name"]!.GetValue<string>(), s["sentence"]!.GetValue<string>()))];
    }

    public async Task<JsonArray> SummarySectionsAsync()
    {
        var json = await ReadAsync($"{RoomId}/{Completed["recording_id"]!.GetValue<string>()}/summary.json");
        return (json["summary"]?["sections"] ?? json["sections"])!.AsArray();
    }

    private async Task<JsonObject> ReadAsync(string blobName) =>
        JsonNode.Parse((await Harness.Recordings.GetBlobClient(blobName).DownloadContentAsync()).Value.Content.ToString())!.AsObject();

    private async Task RewriteAsync(string blobName, Action<JsonObject> change)
    {
        var blob = Harness.Recordings.GetBlobClient(blobName);
        var properties = (await blob.GetPropertiesAsync()).Value;
        var json = await ReadAsync(blobName);
        change(json);
        await blob.UploadAsync(BinaryData.FromString(json.ToJsonString()), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = properties.ContentType },
            Metadata = properties.Metadata,
        });
    }

    public async Task DisposeAsync()
    {
        if (Harness is not null) await Harness.DisposeAsync();
        await azurite.DisposeAsync();
        await Browser.DisposeAsync();
    }
}
