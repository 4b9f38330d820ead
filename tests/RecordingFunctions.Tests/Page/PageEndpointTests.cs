using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using RecordingFunctions.Page;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Page;

/// <summary>The page's routes over HTTP on the local host: the files, the page's own files, and who gets in.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PageEndpointTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Archived_files_stream_with_type_length_and_etag_and_only_files_the_pipeline_lists_are_reachable()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var roomId = harness.NewRoomId();
        var id = await harness.StartPipelineAsync(roomId, new { transcription = new { enabled = true, output_modes = new[] { "txt", "json" } } });
        await harness.RecordThenEndRoomAsync(id, roomId, TimeSpan.FromSeconds(1));
        var status = await harness.WaitForEndAsync(id);
        var recordingId = status["recording_id"]!.GetValue<string>();
        var blobs = await harness.DownloadBlobsAsync(roomId, recordingId);
        // A blob in the recording's folder that the pipeline did not write, and another room's: neither is reachable.
        await harness.Recordings.UploadBlobAsync($"{roomId}/{recordingId}/notes.txt", BinaryData.FromString("private"));

        foreach (var route in new[] { $"api/recordings/{id}/files/", $"api/page/recordings/{id}/files/" })
        {
            var response = await harness.Api.GetAsync(route + "transcript.json");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal(blobs["transcript.json"].Length, response.Content.Headers.ContentLength);
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(SHA256.HashData(blobs["transcript.json"]), SHA256.HashData(body));
            var etag = response.Headers.ETag;
            Assert.NotNull(etag);

            var again = new HttpRequestMessage(HttpMethod.Get, route + "transcript.json");
            again.Headers.IfNoneMatch.Add(etag!);
            var notModified = await harness.Api.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

            var download = await harness.Api.GetAsync(route + "manifest.json?download=1");
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Contains("sandbox", download.Headers.GetValues("Content-Security-Policy").Single());

            Assert.Equal(HttpStatusCode.NotFound, (await harness.Api.GetAsync(route + "notes.txt")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await harness.Api.GetAsync(route + "transcript.srt")).StatusCode);
            foreach (var hostile in new[] { "..%2F..%2Fother", "a..b", ".hidden", "a%5Cb", new string('a', 65) })
            {
                var answer = await harness.Api.GetAsync(route + hostile);
                Assert.True(answer.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{hostile}: {answer.StatusCode}");
            }
        }
        Assert.Equal(HttpStatusCode.NotFound, (await harness.Api.GetAsync($"api/recordings/{roomId}-{new string('0', 32)}/files/transcript.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await harness.Api.GetAsync("api/recordings/not-an-id/files/transcript.json")).StatusCode);
    }

    [Fact]
    public async Task The_page_and_its_files_come_from_the_assembly_under_a_strict_content_security_policy()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var index = await harness.Api.GetAsync("api/page");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType!.MediaType);
        var csp = index.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe", csp);
        Assert.Equal("nosniff", index.Headers.GetValues("X-Content-Type-Options").Single());

        var revalidate = new HttpRequestMessage(HttpMethod.Get, "api/page");
        revalidate.Headers.IfNoneMatch.Add(index.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await harness.Api.SendAsync(revalidate)).StatusCode);

        Assert.Contains("app.js", PageAssets.Names);
        foreach (var name in PageAssets.Names)
        {
            var asset = await harness.Api.GetAsync($"api/page/assets/{name}");
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            var text = await asset.Content.ReadAsStringAsync();
            // Nothing from another origin, no inline code that the policy would block, no HTML parsing of data.
            Assert.DoesNotMatch(@"(src|href)\s*=\s*[""']?(https?:)?//", text);
            Assert.DoesNotContain("innerHTML", text);
            Assert.DoesNotContain("insertAdjacentHTML", text);
            if (name.EndsWith(".html", StringComparison.Ordinal))
            {
                Assert.DoesNotContain("<script>", text);
                Assert.DoesNotContain("style=", text);
            }
        }
        Assert.Equal(HttpStatusCode.NotFound, (await harness.Api.GetAsync("api/page/assets/secrets.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await harness.Api.GetAsync("api/page/assets/..%2Fappsettings.json")).StatusCode);
    }

    [Fact]
    public async Task Off_loopback_the_page_routes_need_a_signed_in_principal_or_a_key_the_functions_host_accepts()
    {
        await using var keyHost = await FakeKeyCheckHost.StartAsync("the-host-key");
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString, settings: new Dictionary<string, string?>
        {
            ["Page:OpenOnLoopback"] = "false",
            ["Page:KeyCheckUrl"] = keyHost.Url.ToString(),
            ["WEBSITE_AUTH_ENABLED"] = "True",
        });

        var session = await harness.Api.GetFromJsonNodeAsync("api/page/session");
        Assert.Equal("none", session["access"]!.GetValue<string>());
        Assert.Equal("/.auth/login/aad?post_login_redirect_uri=/api/page", session["sign_in_url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await harness.Api.GetAsync("api/page/recordings")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await harness.Api.PostAsync($"api/page/rooms/{harness.NewRoomId()}/recordings", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await harness.Api.GetAsync("api/page")).StatusCode);   // the page itself holds no data

        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(harness, "api/page/recordings", key: "a-guess")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(harness, "api/page/recordings", key: "the-host-key")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(harness, "api/page/recordings", key: "the-host-key")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(harness, "api/page/recordings", key: "a-guess")).StatusCode);
        Assert.Equal(2, keyHost.Checks);   // each answer was kept, not asked again

        var principal = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
            """{"auth_typ":"aad","name_typ":"name","role_typ":"roles","claims":[{"typ":"name","val":"Ada Lovelace"}]}"""));
        var signedIn = await Send(harness, "api/page/session", principal: principal);
        var who = JsonNode.Parse(await signedIn.Content.ReadAsStringAsync())!;
        Assert.Equal("signed_in", who["access"]!.GetValue<string>());
        Assert.Equal("Ada Lovelace", who["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await Send(harness, "api/page/recordings", principal: principal)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(harness, "api/page/recordings", principal: "not base64 json")).StatusCode);
    }

    private static Task<HttpResponseMessage> Send(PipelineHarness harness, string path, string? key = null, string? principal = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null) request.Headers.Add("x-functions-key", key);
        if (principal is not null) request.Headers.Add("X-MS-CLIENT-PRINCIPAL", principal);
        return harness.Api.SendAsync(request);
    }
}

internal static class HttpClientJson
{
    public static async Task<JsonNode> GetFromJsonNodeAsync(this HttpClient client, string path) =>
        JsonNode.Parse(await client.GetStringAsync(path))!;
}
