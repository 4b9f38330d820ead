using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace RecordingFunctions.Page;

/// <summary>
/// The page's files (HTML, CSS, JavaScript modules), embedded in this assembly from <c>Page/wwwroot</c>: no build step,
/// nothing fetched from elsewhere. Each answer carries a strict Content-Security-Policy and a content ETag.
/// </summary>
public static class PageAssets
{
    public const string IndexName = "index.html";

    /// <summary>Only this app's own scripts, styles and API; no inline code, no frames, no other origin.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private const string ResourcePrefix = "page/";

    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    public static IReadOnlyCollection<string> Names => Assets.Keys;

    /// <summary>The file <paramref name="name"/>, 404 for any other name, 304 when the browser has this version.</summary>
    public static IActionResult Serve(HttpRequest request, string name)
    {
        if (!Assets.TryGetValue(name, out var asset))
            return new NotFoundResult();
        return new AssetResult(asset, request.Headers.IfNoneMatch.ToString() == asset.ETag);
    }

    /// <summary>Security headers for every answer the page's routes give, data included.</summary>
    public static void AddSecurityHeaders(HttpResponse response)
    {
        response.Headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["Cross-Origin-Opener-Policy"] = "same-origin";
        response.Headers["Cross-Origin-Resource-Policy"] = "same-origin";
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(PageAssets).Assembly;
        var assets = new Dictionary<string, Asset>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var name = resource[ResourcePrefix.Length..];
            assets[name] = new Asset(content, ContentTypeOf(name), $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"");
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Content, string ContentType, string ETag);

    private sealed class AssetResult(Asset asset, bool notModified) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            AddSecurityHeaders(response);
            // Revalidated on each load, so a new deployment shows at once; the ETag makes that a 304 otherwise.
            response.Headers[HeaderNames.CacheControl] = "no-cache";
            response.Headers[HeaderNames.ETag] = asset.ETag;
            if (notModified)
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = asset.ContentType;
            response.ContentLength = asset.Content.Length;
            await response.Body.WriteAsync(asset.Content, context.HttpContext.RequestAborted);
        }
    }
}
