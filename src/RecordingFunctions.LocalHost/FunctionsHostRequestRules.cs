using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Functions.Worker;
using RecordingFunctions.Functions;

namespace RecordingFunctions.LocalHost;

/// <summary>
/// What the Functions host does to a request before a function sees it, for the local host:
/// <list type="bullet">
/// <item>A route asked with a method its function does not take is a 404 with no body (ASP.NET Core would say 405).</item>
/// <item>When <c>LocalHost:FunctionKey</c> is set, every route whose function says <see cref="AuthorizationLevel.Function"/>
/// (or stricter) is a 401 with no body unless the key comes as <c>x-functions-key</c> or <c>?code=</c>. Anonymous
/// functions (the webhook) pass. The levels are read from the functions' own <see cref="HttpTriggerAttribute"/>s.</item>
/// </list>
/// </summary>
public static class FunctionsHostRequestRules
{
    public const string KeyHeader = "x-functions-key";

    private static readonly Dictionary<string, AuthorizationLevel> Levels = ReadLevels();

    /// <summary>Goes between <c>UseRouting</c> and the endpoints.</summary>
    public static void UseFunctionsHostRequestRules(this WebApplication app)
    {
        var key = app.Configuration["LocalHost:FunctionKey"];
        var expected = string.IsNullOrEmpty(key) ? null : Encoding.UTF8.GetBytes(key);
        app.Use(async (http, next) =>
        {
            switch (http.GetEndpoint())
            {
                case null:
                    break;
                case RouteEndpoint endpoint:
                    if (expected is not null && !HasKey(http.Request, expected)
                        && Levels.GetValueOrDefault(Describe(http.Request.Method, endpoint.RoutePattern.RawText)) != AuthorizationLevel.Anonymous)
                    {
                        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        return;
                    }
                    break;
                default: // routing's own "405 HTTP Method Not Supported" endpoint
                    http.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
            }
            await next(http);
        });
    }

    private static bool HasKey(HttpRequest request, byte[] expected)
    {
        var given = request.Headers[KeyHeader].ToString();
        if (given.Length == 0) given = request.Query["code"].ToString();
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), expected);
    }

    private static Dictionary<string, AuthorizationLevel> ReadLevels() =>
        typeof(RecordingsFunctions).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods())
            .Where(method => method.GetCustomAttribute<FunctionAttribute>() is not null)
            .SelectMany(method => method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()))
            .OfType<HttpTriggerAttribute>()
            .SelectMany(trigger => (trigger.Methods ?? []).Select(m => (Route: Describe(m, "/api/" + trigger.Route), trigger.AuthLevel)))
            .ToDictionary(t => t.Route, t => t.AuthLevel, StringComparer.OrdinalIgnoreCase);

    private static string Describe(string method, string? route) => $"{method.ToUpperInvariant()} {route}";
}
