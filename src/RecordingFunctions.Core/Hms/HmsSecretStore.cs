using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Options;

namespace RecordingFunctions.Hms;

/// <summary>The secrets RecordingFunctions needs from 100ms.</summary>
public enum HmsSecret
{
    AccessKey,
    AppSecret,
    ManagementToken,
    WebhookSecret,
}

/// <summary>Where the 100ms secrets come from: Key Vault in Azure, configuration locally.</summary>
public interface IHmsSecretStore
{
    /// <summary>The secret's value, or null when it is not set.</summary>
    ValueTask<string?> GetAsync(HmsSecret secret, CancellationToken cancellationToken);
}

/// <summary>A secret that could not be read (the vault is unreachable, access is denied). Names the secret, never a value.</summary>
public sealed class SecretUnavailableException(string secretName, Exception inner)
    : Exception($"The secret '{secretName}' could not be read: {inner.GetType().Name} {(inner as RequestFailedException)?.Status}".TrimEnd(), inner)
{
    public string SecretName { get; } = secretName;
}

/// <summary>Secrets from the <c>Hms</c> configuration section: local runs and tests.</summary>
public sealed class ConfigurationSecretStore(IOptionsMonitor<HmsOptions> options) : IHmsSecretStore
{
    public ValueTask<string?> GetAsync(HmsSecret secret, CancellationToken cancellationToken)
    {
        var hms = options.CurrentValue;
        return ValueTask.FromResult(secret switch
        {
            HmsSecret.AccessKey => hms.AccessKey,
            HmsSecret.AppSecret => hms.AppSecret,
            HmsSecret.ManagementToken => hms.ManagementToken,
            HmsSecret.WebhookSecret => hms.WebhookSecret,
            _ => null,
        });
    }
}

/// <summary>
/// Secrets from Azure Key Vault, read with the app's managed identity and kept for
/// <see cref="KeyVaultOptions.CacheTtl"/> so that a rotation is picked up without a restart.
/// </summary>
public sealed class KeyVaultSecretStore(SecretClient client, IOptions<KeyVaultOptions> options, TimeProvider clock) : IHmsSecretStore
{
    private readonly Dictionary<HmsSecret, (string? Value, DateTimeOffset ReadAt)> cache = new();
    private readonly Lock cacheLock = new();

    public async ValueTask<string?> GetAsync(HmsSecret secret, CancellationToken cancellationToken)
    {
        lock (cacheLock)
        {
            if (cache.TryGetValue(secret, out var cached) && clock.GetUtcNow() - cached.ReadAt < options.Value.CacheTtl)
                return cached.Value;
        }

        var name = NameOf(secret);
        string? value;
        try
        {
            KeyVaultSecret read = await client.GetSecretAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            value = read.Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            value = null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new SecretUnavailableException(name, e);
        }

        lock (cacheLock) cache[secret] = (value, clock.GetUtcNow());
        return value;
    }

    private string NameOf(HmsSecret secret) => secret switch
    {
        HmsSecret.AccessKey => options.Value.AccessKeySecretName,
        HmsSecret.AppSecret => options.Value.AppSecretSecretName,
        HmsSecret.ManagementToken => options.Value.ManagementTokenSecretName,
        HmsSecret.WebhookSecret => options.Value.WebhookSecretSecretName,
        _ => throw new ArgumentOutOfRangeException(nameof(secret)),
    };
}
