using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Net.Http.Headers;
using RecordingFunctions.Api;
using RecordingFunctions.Pipeline;
using RecordingFunctions.Storage;

namespace RecordingFunctions.Page;

/// <summary>
/// What the archive page needs beyond the recordings API: who the caller is, the archived files of a pipeline, and a
/// guard that lets the page call the recordings API as a signed-in person (see <see cref="PageAccess"/>).
/// </summary>
public sealed partial class PageApi(PageAccess access, RecordingArchive archive, PipelineStore store)
{
    /// <summary><c>GET /api/page/session</c>: how the caller is let in, and what the page should offer when they are not.</summary>
    public async Task<IActionResult> SessionAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var caller = await access.CheckAsync(request, cancellationToken);
        return WithPageHeaders(new OkObjectResult(new JsonObject
        {
            ["access"] = caller.Caller switch
            {
                PageCaller.Loopback => "loopback",
                PageCaller.SignedIn => "signed_in",
                PageCaller.FunctionKey => "function_key",
                _ => "none",
            },
            ["name"] = caller.Name,
            ["sign_in_url"] = access.SignInConfigured ? "/.auth/login/aad?post_login_redirect_uri=/api/page" : null,
            ["sign_out_url"] = access.SignInConfigured ? "/.auth/logout?post_logout_redirect_uri=/api/page" : null,
            ["accepts_function_key"] = access.KeysChecked,
            ["phases"] = new JsonArray([.. Enum.GetValues<PipelinePhase>().Select(p => (JsonNode)p.ToWireName())]),
        }));
    }

    /// <summary>Runs <paramref name="action"/> for a caller <see cref="PageAccess"/> lets in; 401 for anyone else.</summary>
    public async Task<IActionResult> GuardAsync(HttpRequest request, Func<Task<IActionResult>> action, CancellationToken cancellationToken)
    {
        var caller = await access.CheckAsync(request, cancellationToken);
        if (!caller.Allowed)
        {
            return WithPageHeaders(Problems.Of(StatusCodes.Status401Unauthorized, "Sign in or give a function key.",
                access.SignInConfigured
                    ? "Sign in with your organisation's account, or send a function key in the x-functions-key header."
                    : "Send a function key in the x-functions-key header.",
                new Dictionary<string, object?> { ["sign_in_url"] = access.SignInConfigured ? "/.auth/login/aad?post_login_redirect_uri=/api/page" : null }));
        }
        return WithPageHeaders(await action());
    }

    /// <summary>
    /// <c>GET /api/recordings/{id}/files/{name}</c>: one archived file of the pipeline, streamed from Blob Storage with the
    /// app's identity. Only files the pipeline lists (its manifest, or the files copied so far while it runs) are served:
    /// nothing else in the container can be named.
    /// </summary>
    public async Task<IActionResult> FileAsync(
        HttpRequest request, DurableTaskClient durable, string instanceId, string name, CancellationToken cancellationToken)
    {
        if (!FileName().IsMatch(name) || name.Contains("..", StringComparison.Ordinal))
            return Problems.Validation([("name", "name must be a file name of the recording, like transcript.json.")]);

        var instance = await store.GetAsync(durable, instanceId, cancellationToken);
        if (instance is null)
            return Problems.Of(StatusCodes.Status404NotFound, "No such recording pipeline.", "There is no such pipeline.");

        var record = PipelineStore.RecordOf(instance);
        if (record is null || !Hms.HmsLimits.IsHmsId(record.RoomId) || !Hms.HmsLimits.IsHmsId(record.RecordingId))
            return NotArchived(name);

        var prefix = RecordingBlobLayout.Prefix(record.RoomId, record.RecordingId);
        var listed = await ListedFilesAsync(prefix, record, cancellationToken);
        if (!listed.Contains(prefix + name)) return NotArchived(name);

        var download = await archive.DownloadAsync(prefix + name, cancellationToken);
        if (download is null) return NotArchived(name);
        var etag = download.Details.ETag.ToString("H");
        if (request.Headers.IfNoneMatch.ToString() == etag)
        {
            download.Dispose();   // only the headers were read
            return new NotModifiedResult(etag);
        }
        return new ArchivedFileResult(download, name, request.Query["download"] == "1");
    }

    /// <summary>The blob names the pipeline wrote: its manifest and the files it lists, or, before it exists, the record's.</summary>
    private async Task<HashSet<string>> ListedFilesAsync(string prefix, PipelineRecord record, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var manifestName = prefix + RecordingBlobLayout.Manifest;
        var manifest = await archive.DownloadAsync(manifestName, cancellationToken);
        if (manifest is not null)
        {
            using (manifest)
            {
                var files = (await JsonSerializer.DeserializeAsync<RecordingManifest>(manifest.Content, cancellationToken: cancellationToken))?.Files ?? [];
                names.Add(manifestName);
                names.UnionWith(files.Select(f => f.Name));
            }
        }
        else
        {
            names.UnionWith(record.Blobs);
        }
        return names;
    }

    private static ObjectResult NotArchived(string name) =>
        Problems.Of(StatusCodes.Status404NotFound, "No such archived file.", $"This pipeline has not archived a file named {name}.");

    private static IActionResult WithPageHeaders(IActionResult inner) => new PageHeadersResult(inner);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex FileName();

    private sealed class PageHeadersResult(IActionResult inner) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            PageAssets.AddSecurityHeaders(context.HttpContext.Response);
            context.HttpContext.Response.Headers[HeaderNames.CacheControl] = "no-store";
            return inner.ExecuteResultAsync(context);
        }
    }

    private sealed class NotModifiedResult(string etag) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            context.HttpContext.Response.StatusCode = StatusCodes.Status304NotModified;
            context.HttpContext.Response.Headers[HeaderNames.ETag] = etag;
            return Task.CompletedTask;
        }
    }

    /// <summary>Copies the blob to the answer as it streams in: content type, length and ETag as Blob Storage has them.</summary>
    private sealed class ArchivedFileResult(Azure.Storage.Blobs.Models.BlobDownloadStreamingResult download, string name, bool attachment) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            using var _ = download;
            var response = context.HttpContext.Response;
            var details = download.Details;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = details.ContentType ?? RecordingBlobLayout.ContentTypeOf(name);
            response.ContentLength = details.ContentLength;
            response.Headers[HeaderNames.ETag] = details.ETag.ToString("H");
            response.Headers[HeaderNames.LastModified] = details.LastModified.ToString("R");
            response.Headers[HeaderNames.CacheControl] = "private, no-cache";
            // A file is data, never a page: no script runs in it even when opened directly.
            response.Headers[HeaderNames.ContentSecurityPolicy] = "default-src 'none'; sandbox";
            response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
            response.Headers[HeaderNames.ContentDisposition] =
                new ContentDispositionHeaderValue(attachment ? "attachment" : "inline") { FileName = name }.ToString();
            await download.Content.CopyToAsync(response.Body, context.HttpContext.RequestAborted);
        }
    }
}
