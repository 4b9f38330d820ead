using System.Text;
using Microsoft.Extensions.Options;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace RecordingFunctions.Hms;

/// <summary>Supplies the management token the 100ms REST API wants as <c>Authorization: Bearer</c>.</summary>
public interface IHmsManagementTokenProvider
{
    /// <summary>A valid token; <paramref name="forceRefresh"/> after a 401 mints a new one instead of the cached one.</summary>
    ValueTask<string> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken);

    /// <summary>Whether <see cref="GetTokenAsync"/> with forceRefresh can give a different token (false for a pre-made one).</summary>
    bool CanRefresh { get; }
}

/// <summary>
/// Mints management tokens from the app access key and secret (HS256, as 100ms's own SDKs do), caches them, and
/// re-mints before expiry. A pre-made token (secret <see cref="HmsSecret.ManagementToken"/>) is used as it is.
/// </summary>
public sealed class HmsManagementTokenProvider(IHmsSecretStore secrets, IOptions<HmsOptions> options, TimeProvider clock)
    : IHmsManagementTokenProvider
{
    /// <summary>Backdating absorbs clock skew between us and 100ms.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>A cached token is replaced this long before it expires.</summary>
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim gate = new(1, 1);
    private (string Token, DateTimeOffset ExpiresAt)? cached;
    private bool premade;

    public bool CanRefresh => !premade;

    public async ValueTask<string> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        if (!forceRefresh && cached is { } fresh && clock.GetUtcNow() < fresh.ExpiresAt - RefreshBefore) return fresh.Token;

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!forceRefresh && cached is { } current && clock.GetUtcNow() < current.ExpiresAt - RefreshBefore) return current.Token;

            var accessKey = await secrets.GetAsync(HmsSecret.AccessKey, cancellationToken).ConfigureAwait(false);
            var appSecret = await secrets.GetAsync(HmsSecret.AppSecret, cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(appSecret))
            {
                var token = await secrets.GetAsync(HmsSecret.ManagementToken, cancellationToken).ConfigureAwait(false);
                if (string.IsNullOrEmpty(token))
                    throw new InvalidOperationException(
                        "No 100ms credentials are configured: set the app access key and app secret, or a management token.");
                premade = true;
                // A pre-made token's expiry is its own business: reuse it until 100ms refuses it.
                cached = (token, DateTimeOffset.MaxValue);
                return token;
            }

            premade = false;
            var minted = Mint(accessKey, appSecret);
            cached = minted;
            return minted.Token;
        }
        finally
        {
            gate.Release();
        }
    }

    // Signed by hand: Microsoft.IdentityModel refuses HMAC keys under 128 bits for signing (and under 256 for HS256
    // validation), while 100ms's server SDKs sign with the app secret whatever its length.
    private (string Token, DateTimeOffset ExpiresAt) Mint(string accessKey, string appSecret)
    {
        var issuedAt = clock.GetUtcNow() - ClockSkew;
        var expiresAt = issuedAt + options.Value.TokenLifetime;
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "JWT" });
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["access_key"] = accessKey,
            ["type"] = "management",
            ["version"] = 2,
            ["jti"] = Guid.NewGuid().ToString(),
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
            ["nbf"] = issuedAt.ToUnixTimeSeconds(),
            ["exp"] = expiresAt.ToUnixTimeSeconds(),
        });
        var signed = $"{Base64UrlEncoder.Encode(header)}.{Base64UrlEncoder.Encode(payload)}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), Encoding.ASCII.GetBytes(signed));
        return ($"{signed}.{Base64UrlEncoder.Encode(signature)}", expiresAt);
    }
}
