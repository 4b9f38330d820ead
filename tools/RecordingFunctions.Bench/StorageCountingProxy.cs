using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace RecordingFunctions.Bench;

/// <summary>
/// A loopback HTTP forwarder in front of Azurite's blob, queue and table ports that counts every request by service
/// and kind (<see cref="StorageOperation.Classify"/>). Whatever is given <see cref="ConnectionString"/> (the local
/// host, the Functions host and its Durable extension) sends all of its storage traffic through it.
/// </summary>
public sealed class StorageCountingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer",
    };

    private readonly ConcurrentDictionary<string, long> counts = new();
    private readonly Dictionary<int, (string Service, int Target)> routes;
    private readonly HttpClient forward = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        MaxConnectionsPerServer = 256,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(20),
    }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly WebApplication app;

    private StorageCountingProxy(Dictionary<int, (string, int)> routes, WebApplication app)
    {
        this.routes = routes;
        this.app = app;
    }

    public string ConnectionString { get; private init; } = "";

    /// <param name="storage">Azurite's connection string, with explicit endpoints.</param>
    public static async Task<StorageCountingProxy> StartAsync(string storage)
    {
        var endpoints = storage.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(part => part.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : "", StringComparer.OrdinalIgnoreCase);
        var routes = new Dictionary<int, (string, int)>();
        var rewritten = storage;
        foreach (var service in new[] { "Blob", "Queue", "Table" })
        {
            var target = new Uri(endpoints[service + "Endpoint"]);
            var port = FreePort();
            routes[port] = (service.ToLowerInvariant(), target.Port);
            rewritten = rewritten.Replace(target.GetLeftPart(UriPartial.Authority), $"http://127.0.0.1:{port}", StringComparison.Ordinal);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            foreach (var port in routes.Keys) kestrel.Listen(IPAddress.Loopback, port);
        });
        var app = builder.Build();
        var proxy = new StorageCountingProxy(routes, app) { ConnectionString = rewritten };
        app.Run(proxy.ForwardAsync);
        await app.StartAsync();
        return proxy;
    }

    /// <summary>Every operation counted so far, by "service kind" (e.g. <c>queue put</c>).</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(counts);

    /// <summary>How many distinct <c>manifest.json</c> blobs were written through the proxy: pipelines that ended.</summary>
    public int ManifestsWritten => manifests.Count;

    private readonly ConcurrentDictionary<string, bool> manifests = new();

    private async Task ForwardAsync(HttpContext context)
    {
        var (service, target) = routes[context.Connection.LocalPort];
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget; // as signed: not re-encoded
        var method = context.Request.Method;
        using var request = new HttpRequestMessage(new HttpMethod(method), $"http://127.0.0.1:{target}{rawTarget}");

        // Table batches are small: read them whole to count their entities.
        byte[]? batchBody = null;
        if (service == "table" && rawTarget.Contains("$batch", StringComparison.Ordinal))
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            batchBody = buffer.ToArray();
            request.Content = new ByteArrayContent(batchBody);
        }
        else if (context.Request.ContentLength is not null || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }
        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHopHeaders.Contains(name) || name.Equals("Host", StringComparison.OrdinalIgnoreCase)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }
        request.Headers.Host = context.Request.Host.Value;

        using var response = await forward.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHopHeaders.Contains(name)) context.Response.Headers[name] = values.ToArray();
        }

        var operation = StorageOperation.Classify(service, method, context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? "");
        if (operation.Kind == "get" && service == "queue")
        {
            // An empty get is a poll that found nothing: the idle cost of a task hub.
            var body = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
            if (!Encoding.UTF8.GetString(body).Contains("<QueueMessage>", StringComparison.Ordinal)) operation = operation with { Kind = "get (empty)" };
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
        else if (method != "HEAD")
        {
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
        Count(operation.ToString());
        if (service == "blob" && method == "PUT" && response.IsSuccessStatusCode && context.Request.Path.Value!.EndsWith("/manifest.json", StringComparison.Ordinal))
            manifests.TryAdd(context.Request.Path.Value, true);
        if (batchBody is not null) counts.AddOrUpdate("table batch entities", StorageOperation.EntitiesInBatch(batchBody), (_, n) => n + StorageOperation.EntitiesInBatch(batchBody));
    }

    private void Count(string key) => counts.AddOrUpdate(key, 1, (_, n) => n + 1);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        forward.Dispose();
    }
}

/// <summary>One storage request, by service (<c>blob</c>, <c>queue</c>, <c>table</c>) and kind, in the services' own words.</summary>
public sealed record StorageOperation(string Service, string Kind)
{
    public override string ToString() => $"{Service} {Kind}";

    /// <param name="path">The request path, account first (<c>/devstoreaccount1/...</c>).</param>
    /// <param name="query">The query string, with its <c>?</c> or empty.</param>
    public static StorageOperation Classify(string service, string method, string path, string query)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var resource = segments.Length > 1 ? segments[1..] : []; // after the account name
        var parameters = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]).ToLowerInvariant(), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "");
        var comp = parameters.GetValueOrDefault("comp", "");
        return new StorageOperation(service, service switch
        {
            "queue" => QueueKind(method, resource, parameters, comp),
            "table" => TableKind(method, resource, parameters),
            _ => BlobKind(method, resource, parameters, comp),
        });
    }

    private static string QueueKind(string method, string[] resource, Dictionary<string, string> parameters, string comp)
    {
        var messages = resource.Length >= 2 && resource[1] == "messages";
        if (messages && resource.Length == 2)
        {
            return method switch
            {
                "POST" => "put",
                "GET" when parameters.GetValueOrDefault("peekonly") == "true" => "peek",
                "GET" => "get",
                "DELETE" => "clear",
                _ => method.ToLowerInvariant(),
            };
        }
        if (messages) return method switch { "DELETE" => "delete", "PUT" => "update", _ => method.ToLowerInvariant() };
        if (comp == "list") return "list queues";
        if (comp == "metadata" || method == "HEAD") return "metadata";
        return method switch { "PUT" => "create queue", "DELETE" => "delete queue", _ => "other" };
    }

    private static string TableKind(string method, string[] resource, Dictionary<string, string> parameters)
    {
        if (resource.Length == 0) return "other";
        var target = Uri.UnescapeDataString(resource[0]);
        if (target == "$batch") return "batch";
        if (target.StartsWith("Tables", StringComparison.Ordinal))
            return method switch { "POST" => "create table", "DELETE" => "delete table", _ => "list tables" };
        var byKeys = target.Contains("PartitionKey=", StringComparison.Ordinal) && target.Contains("RowKey=", StringComparison.Ordinal);
        return method switch
        {
            "GET" when byKeys && !parameters.ContainsKey("$filter") => "read",
            "GET" => "query",
            "DELETE" => "delete",
            _ => "write", // POST (insert), PUT (replace), MERGE, PATCH
        };
    }

    private static string BlobKind(string method, string[] resource, Dictionary<string, string> parameters, string comp)
    {
        var container = parameters.GetValueOrDefault("restype") == "container";
        if (comp == "list") return "list";
        if (comp == "lease") return container ? "container lease" : "lease";
        if (container) return method switch { "PUT" => "create container", "DELETE" => "delete container", _ => "container properties" };
        return method switch
        {
            "GET" => "read",
            "HEAD" => "properties",
            "PUT" => "write",
            "DELETE" => "delete",
            _ => "other",
        };
    }

    /// <summary>The operations inside a table <c>$batch</c> body (each is an <c>application/http</c> part).</summary>
    public static int EntitiesInBatch(byte[] body) =>
        System.Text.RegularExpressions.Regex.Matches(Encoding.UTF8.GetString(body), "Content-Type: application/http", System.Text.RegularExpressions.RegexOptions.IgnoreCase).Count;
}
