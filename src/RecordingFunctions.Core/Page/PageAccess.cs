using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace RecordingFunctions.Page;

/// <summary>How a caller of the page's endpoints was let in.</summary>
public enum PageCaller { None, Loopback, SignedIn, FunctionKey }

/// <summary>The caller and, when signed in, the name App Service Authentication gives them.</summary>
public sealed record PageAccessResult(PageCaller Caller, string? Name = null)
{
    public bool Allowed => Caller != PageCaller.None;
}

/// <summary>
/// Decides who may read the archive and drive pipelines through the page: a person signed in with Microsoft Entra ID
/// through App Service Authentication, a holder of a function key, or, off Azure, a browser on this machine.
/// </summary>
public sealed class PageAccess(IOptions<PageOptions> options, IConfiguration configuration, FunctionKeyCheck keys)
{
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";
    public const string PrincipalNameHeader = "X-MS-CLIENT-PRINCIPAL-NAME";
    public const string FunctionKeyHeader = "x-functions-key";

    /// <summary>
    /// App Service sets <c>WEBSITE_AUTH_ENABLED</c> when its authentication runs in front of the app; only then does it
    /// strip a client's own <c>X-MS-CLIENT-PRINCIPAL</c> headers, so only then are they believed.
    /// </summary>
    public bool SignInConfigured => string.Equals(configuration["WEBSITE_AUTH_ENABLED"], "true", StringComparison.OrdinalIgnoreCase);

    public bool RunsInAzure => !string.IsNullOrEmpty(configuration["WEBSITE_INSTANCE_ID"]);

    public bool KeysChecked => keys.IsConfigured;

    public async Task<PageAccessResult> CheckAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (options.Value.OpenOnLoopback && !RunsInAzure && IsFromThisMachine(request)) return new(PageCaller.Loopback);
        if (SignInConfigured && SignedInName(request) is { } name) return new(PageCaller.SignedIn, name);

        var key = request.Headers[FunctionKeyHeader].ToString();
        if (key.Length == 0) key = request.Query["code"].ToString();
        if (key.Length > 0 && await keys.IsValidAsync(key, cancellationToken)) return new(PageCaller.FunctionKey);
        return new(PageCaller.None);
    }

    /// <summary>
    /// A loopback peer and a loopback Host header: a page on another site that rebinds its DNS name to 127.0.0.1 still
    /// sends its own name as Host, and is not let in.
    /// </summary>
    private static bool IsFromThisMachine(HttpRequest request)
    {
        var peer = request.HttpContext.Connection.RemoteIpAddress;
        if (peer is null || !IPAddress.IsLoopback(peer)) return false;
        var host = request.Host.Host;
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>The signed-in person's name, or null when the principal header is missing or not App Service's format.</summary>
    private static string? SignedInName(HttpRequest request)
    {
        var encoded = request.Headers[PrincipalHeader].ToString();
        if (encoded.Length is 0 or > 64 * 1024) return null;
        try
        {
            using var principal = JsonDocument.Parse(Convert.FromBase64String(encoded));
            if (!principal.RootElement.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array) return null;
            var nameType = principal.RootElement.TryGetProperty("name_typ", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            string? name = null;
            foreach (var claim in claims.EnumerateArray())
            {
                if (claim.ValueKind != JsonValueKind.Object) continue;
                var type = claim.TryGetProperty("typ", out var typ) && typ.ValueKind == JsonValueKind.String ? typ.GetString() : null;
                var value = claim.TryGetProperty("val", out var val) && val.ValueKind == JsonValueKind.String ? val.GetString() : null;
                if (value is null) continue;
                if (type == nameType || type is "name" or "preferred_username") name ??= value;
            }
            var header = request.Headers[PrincipalNameHeader].ToString();
            return name ?? (header.Length > 0 ? header : "signed in");
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }
}
