using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace RecordingFunctions.HmsSimulator;

/// <summary>The simulator's HTTP surface: 100ms's <c>/v2</c> API, presigned file downloads, and <c>/admin</c> controls.</summary>
public static class HmsSimulatorApp
{
    public static WebApplication Build(string[] args, Action<SimulatorOptions>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        var options = builder.Services.AddOptions<SimulatorOptions>().Bind(builder.Configuration.GetSection(SimulatorOptions.Section));
        if (configure is not null) options.Configure(configure);
        builder.Services.AddHttpClient(SimulatorEngine.WebhookClient, http => http.Timeout = TimeSpan.FromSeconds(15));
        builder.Services.AddSingleton<SimulatorEngine>();

        var app = builder.Build();
        app.Lifetime.ApplicationStopping.Register(() => app.Services.GetRequiredService<SimulatorEngine>().Shutdown());
        app.Use(async (context, next) =>
        {
            try
            {
                if (context.Request.Path.StartsWithSegments("/v2") && !await IsAuthorizedAsync(context)) throw new HmsError(401, "Token validation error", "invalid or missing management token");
                await next(context);
            }
            catch (HmsError error)
            {
                await ErrorResult(error).ExecuteAsync(context);
            }
        });
        MapApi(app);
        MapFiles(app);
        MapAdmin(app);
        return app;
    }

    private static void MapApi(WebApplication app)
    {
        var v2 = app.MapGroup("/v2");
        v2.MapPost("/recordings/room/{roomId}/start", async (string roomId, HttpRequest request, SimulatorEngine engine) =>
        {
            engine.Enter(Endpoints.Start);
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = StartBody.Parse(buffer.ToArray());
            if (!IsId(roomId)) throw new HmsError(403, "user does not have required permission");
            return Results.Json(engine.Styled(engine.Start(roomId, body).ToJson(withAssets: false)));
        });
        v2.MapPost("/recordings/room/{roomId}/stop", (string roomId, SimulatorEngine engine) =>
        {
            engine.Enter(Endpoints.StopRoom);
            var stopped = engine.StopRoom(roomId, byApi: true);
            return Results.Json(engine.Styled(Page(stopped.Select(r => r.ToJson(withAssets: false)), stopped.Count, stopped[^1].Id)));
        });
        v2.MapPost("/recordings/{id}/stop", (string id, SimulatorEngine engine) =>
        {
            engine.Enter(Endpoints.StopRecording);
            return Results.Json(engine.Styled(engine.StopRecording(id).ToJson(withAssets: false)));
        });
        v2.MapGet("/recordings/{id}", (string id, SimulatorEngine engine) =>
        {
            engine.Enter(Endpoints.GetRecording);
            var recording = engine.Find(id) ?? throw new HmsError(404, "recording not found");
            return Results.Json(engine.Styled(recording.ToJson(withAssets: true)));
        });
        v2.MapGet("/recordings", (HttpRequest request, SimulatorEngine engine) =>
        {
            engine.Enter(Endpoints.ListRecordings);
            var q = request.Query;
            var items = engine.Recordings.Where(r =>
                Matches(q["room_id"], r.RoomId) && Matches(q["session_id"], r.SessionId) && Matches(q["status"], r.Status));
            return Paged(request, engine, items, r => r.Id, r => r.ToJson(withAssets: false));
        });
        v2.MapGet("/recording-assets/{id}", (string id, SimulatorEngine engine) =>
        {
            engine.Enter(Endpoints.GetAsset);
            var asset = engine.FindAsset(id) ?? throw new HmsError(404, "asset not found");
            return Results.Json(engine.Styled(asset.ToJson(embedded: false)));
        });
        v2.MapGet("/recording-assets", (HttpRequest request, SimulatorEngine engine) =>
        {
            engine.Enter(Endpoints.ListAssets);
            var q = request.Query;
            var items = engine.Assets.Where(a => Matches(q["room_id"], a.Recording.RoomId) && Matches(q["session_id"], a.Recording.SessionId)
                && Matches(q["status"], a.Status) && Matches(q["type"], a.Type));
            return Paged(request, engine, items, a => a.Id, a => a.ToJson(embedded: false));
        });
        v2.MapGet("/recording-assets/{id}/presigned-url", (string id, HttpRequest request, SimulatorEngine engine) =>
        {
            engine.Enter(Endpoints.PresignedUrl);
            var asset = engine.FindAsset(id) ?? throw new HmsError(404, "asset not found");
            if (engine.IsExpired(asset)) throw new HmsError(404, "asset not found", "the asset is past its retention period");
            if (asset.Status != "completed") throw new HmsError(400, "asset is not ready");
            var duration = engine.Options.DefaultPresignDuration;
            if (request.Query.TryGetValue("presign_duration", out var text))
            {
                if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
                    throw new HmsError(400, "Invalid query param", "presign_duration must be a positive integer");
                duration = TimeSpan.FromSeconds(seconds);
            }
            var expires = DateTimeOffset.UtcNow + duration;
            lock (engine.Faults)
            {
                if (engine.Faults.ExpiredPresignedUrls > 0)
                {
                    engine.Faults.ExpiredPresignedUrls--;
                    expires = DateTimeOffset.UtcNow.AddSeconds(-1);
                }
            }
            var unix = expires.ToUnixTimeSeconds();
            var url = $"{request.Scheme}://{request.Host}/files/{asset.Id}/{asset.FileName}?expires={unix}&sig={Signature(engine, asset.Id, unix)}";
            return Results.Json(engine.Styled(new JsonObject { ["id"] = asset.Id, ["path"] = asset.Path, ["url"] = url, ["expiry"] = (long)duration.TotalSeconds }));
        });
    }

    private static void MapFiles(WebApplication app) =>
        app.MapGet("/files/{id}/{name}", async (string id, string name, HttpContext context, SimulatorEngine engine) =>
        {
            engine.Enter(Endpoints.Download);
            var q = context.Request.Query;
            if (!long.TryParse(q["expires"], out var expires) || !CryptographicOperations.FixedTimeEquals(
                    Encoding.ASCII.GetBytes(q["sig"].ToString()), Encoding.ASCII.GetBytes(Signature(engine, id, expires))))
            {
                context.Response.StatusCode = 403;
                await context.Response.WriteAsync("SignatureDoesNotMatch");
                return;
            }
            if (DateTimeOffset.UtcNow.ToUnixTimeSeconds() > expires)
            {
                context.Response.StatusCode = 403;
                await context.Response.WriteAsync("Request has expired");
                return;
            }
            var asset = engine.FindAsset(id);
            if (asset is not null && engine.IsExpired(asset))
            {
                context.Response.StatusCode = 410;
                return;
            }
            if (asset is null || asset.Status != "completed")
            {
                context.Response.StatusCode = 404;
                return;
            }
            await SendFileAsync(context, engine, asset);
        });

    private static async Task SendFileAsync(HttpContext context, SimulatorEngine engine, SimulatedAsset asset)
    {
        bool truncate;
        long bytesPerSecond;
        lock (engine.Faults)
        {
            truncate = engine.Faults.TruncateDownloads > 0;
            if (truncate) engine.Faults.TruncateDownloads--;
            bytesPerSecond = engine.Faults.DownloadBytesPerSecond;
        }
        context.Response.ContentType = asset.FileName.EndsWith(".json", StringComparison.Ordinal) ? "application/json"
            : asset.FileName.EndsWith(".mp4", StringComparison.Ordinal) ? "video/mp4" : "text/plain; charset=utf-8";
        context.Response.ContentLength = asset.Size;
        var limit = truncate ? asset.Size / 2 : asset.Size;
        var buffer = new byte[bytesPerSecond > 0 ? 1024 : 64 * 1024];
        long sent = 0;
        while (sent < limit)
        {
            var count = (int)Math.Min(buffer.Length, limit - sent);
            if (asset.Content is { } content) content.AsSpan((int)sent, count).CopyTo(buffer);
            else for (var i = 0; i < count; i++) buffer[i] = (byte)((sent + i) % 251);
            // Throttle before writing: once the last byte is out the client may hang up.
            if (bytesPerSecond > 0) await Task.Delay(TimeSpan.FromSeconds((double)count / bytesPerSecond), context.RequestAborted);
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, count), context.RequestAborted);
            sent += count;
        }
        if (truncate)
        {
            await context.Response.Body.FlushAsync();
            context.Abort();
            return;
        }
        await context.Response.Body.FlushAsync(context.RequestAborted);
        engine.CountCompletedDownload(asset.Id);
    }

    private static void MapAdmin(WebApplication app)
    {
        var admin = app.MapGroup("/admin");
        admin.MapPost("/faults", (FaultSettings faults, SimulatorEngine engine) =>
        {
            engine.SetFaults(faults);
            return Results.NoContent();
        });
        admin.MapPost("/reset", (SimulatorEngine engine) =>
        {
            engine.Reset();
            return Results.NoContent();
        });
        admin.MapGet("/webhooks", (SimulatorEngine engine) => Results.Json(engine.Deliveries));
        admin.MapPost("/rooms/{roomId}/end", (string roomId, SimulatorEngine engine) =>
            Results.Json(engine.StopRoom(roomId, "room ended").Select(r => r.Id)));
        admin.MapPost("/rooms/{roomId}/recordings", async (string roomId, HttpRequest request, SimulatorEngine engine) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = buffer.Length == 0 ? null : StartBody.Parse(buffer.ToArray());
            if (!IsId(roomId)) throw new HmsError(400, "room_id must be 24 hex characters");
            return Results.Json(engine.StartElsewhere(roomId, body).ToJson(withAssets: false));
        });
        admin.MapPost("/age", (AgeRequest age, SimulatorEngine engine) =>
        {
            engine.Age(age.By, age.RecordingId);
            return Results.NoContent();
        });
        admin.MapGet("/token", (SimulatorEngine engine) => Results.Text(MintToken(engine.Options, TimeSpan.FromHours(24))));
        admin.MapPost("/rooms/{roomId}/streams", (string roomId, SimulatorEngine engine) =>
        {
            var stream = engine.StartStream(roomId);
            return Results.Json(new JsonObject { ["id"] = stream.Id, ["beam_id"] = stream.BeamId, ["session_id"] = stream.SessionId });
        });
        admin.MapPost("/streams/{id}/stop", (string id, SimulatorEngine engine) =>
        {
            engine.StopStream(id);
            return Results.NoContent();
        });
        admin.MapPost("/streams/{id}/fail", (string id, SimulatorEngine engine) =>
        {
            engine.FailStream(id);
            return Results.NoContent();
        });
        admin.MapPost("/rooms/{roomId}/template", (string roomId, RoomTemplate template, SimulatorEngine engine) =>
        {
            engine.SetRoomTemplate(roomId, template);
            return Results.NoContent();
        });
        admin.MapPost("/webhooks/replay", (HttpRequest request, SimulatorEngine engine) =>
        {
            var type = request.Query["type"].ToString();
            var subject = request.Query["recording_id"].ToString();
            var count = engine.Replay(e => (type.Length == 0 || e["type"]?.ToString() == type)
                && (subject.Length == 0 || e["data"]?["recording_id"]?.ToString() == subject || e["data"]?["job_id"]?.ToString() == subject));
            return Results.Json(new JsonObject { ["replayed"] = count });
        });
    }

    private sealed record AgeRequest(TimeSpan By, string? RecordingId);

    /// <summary>A valid management token for the configured keys, for curl sessions and tests.</summary>
    public static string MintToken(SimulatorOptions options, TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow.AddSeconds(-10).ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT" };
        var payload = new JsonObject
        {
            ["access_key"] = options.AccessKey,
            ["type"] = "management",
            ["version"] = 2,
            ["jti"] = Guid.NewGuid().ToString(),
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + (long)lifetime.TotalSeconds,
        };
        var signed = $"{Base64UrlEncoder.Encode(header.ToJsonString())}.{Base64UrlEncoder.Encode(payload.ToJsonString())}";
        return $"{signed}.{Base64UrlEncoder.Encode(Sign(options.AppSecret, signed))}";
    }

    private static byte[] Sign(string secret, string signed) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signed));

    /// <summary>
    /// HS256 checked by hand: 100ms accepts tokens signed with the app secret whatever its length, which IdentityModel's
    /// key-size rule (at least 256 bits) would refuse.
    /// </summary>
    private static Task<bool> IsAuthorizedAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal)) return Task.FromResult(false);
        var options = context.RequestServices.GetRequiredService<IOptionsMonitor<SimulatorOptions>>().CurrentValue;
        return Task.FromResult(IsValidToken(header["Bearer ".Length..], options, DateTimeOffset.UtcNow));
    }

    private static bool IsValidToken(string token, SimulatorOptions options, DateTimeOffset now)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) return false;
        try
        {
            if (!CryptographicOperations.FixedTimeEquals(Base64UrlEncoder.DecodeBytes(parts[2]), Sign(options.AppSecret, $"{parts[0]}.{parts[1]}")))
                return false;
            if (JsonNode.Parse(Base64UrlEncoder.DecodeBytes(parts[0]))?["alg"]?.ToString() != "HS256") return false;
            var claims = JsonNode.Parse(Base64UrlEncoder.DecodeBytes(parts[1])) as JsonObject;
            if (claims is null) return false;
            var leeway = 30;
            var unixNow = now.ToUnixTimeSeconds();
            if (claims["exp"] is not JsonValue exp || unixNow > exp.GetValue<long>() + leeway) return false;
            if (claims["nbf"] is JsonValue nbf && unixNow + leeway < nbf.GetValue<long>()) return false;
            return claims["type"]?.ToString() == "management"
                && claims["version"] is JsonValue version && version.ToJsonString() == "2"
                && claims["access_key"]?.ToString() == options.AccessKey;
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    private static IResult Paged<T>(HttpRequest request, SimulatorEngine engine, IEnumerable<T> items, Func<T, string> id, Func<T, JsonObject> json)
    {
        var limit = 10;
        if (request.Query.TryGetValue("limit", out var text) && (!int.TryParse(text, out limit) || limit is < 10 or > 100))
            throw new HmsError(400, "Invalid query param", "limit must be between 10 and 100");
        var start = request.Query["start"].ToString();
        var list = items.ToList();
        if (start.Length > 0)
        {
            var index = list.FindIndex(item => id(item) == start);
            list = index < 0 ? [] : list[(index + 1)..];
        }
        var page = list.Take(limit).ToList();
        return Results.Json(engine.Styled(Page(page.Select(json), limit, page.Count > 0 ? id(page[^1]) : "")));
    }

    private static JsonObject Page(IEnumerable<JsonObject> data, int limit, string last) => new()
    {
        ["limit"] = limit,
        ["data"] = new JsonArray([.. data]),
        ["last"] = last,
    };

    private static IResult ErrorResult(HmsError error)
    {
        var body = new JsonObject { ["code"] = error.Status, ["message"] = error.Message };
        if (error.Details.Length > 0) body["details"] = new JsonArray([.. error.Details.Select(d => (JsonNode)d)]);
        return Results.Json(body, statusCode: error.Status);
    }

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues filter, string value) =>
        string.IsNullOrEmpty(filter) || filter == value;

    private static bool IsId(string value) => value.Length == 24 && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    private static string Signature(SimulatorEngine engine, string assetId, long expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(engine.Options.AppSecret), Encoding.UTF8.GetBytes($"{assetId}.{expires}")));
}
