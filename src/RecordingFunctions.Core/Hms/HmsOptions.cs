namespace RecordingFunctions.Hms;

/// <summary>How to reach 100ms. Configuration section <c>Hms</c> (app settings <c>Hms__*</c>).</summary>
public sealed record HmsOptions
{
    public const string Section = "Hms";

    public Uri BaseUrl { get; set; } = new("https://api.100ms.live/v2/");

    /// <summary>Timeout of one HTTP call to 100ms.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Lifetime of a management token minted from the app access key and secret.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The header 100ms passes through on every webhook call, configured in its dashboard.</summary>
    public string WebhookHeaderName { get; set; } = "X-100ms-Key";

    // Secrets, used only when no Key Vault is configured (local runs and tests).
    public string? AccessKey { get; set; }
    public string? AppSecret { get; set; }
    public string? ManagementToken { get; set; }
    public string? WebhookSecret { get; set; }

    // Secrets stay out of ToString(), and so out of logs and exception messages.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"BaseUrl = {BaseUrl}, RequestTimeout = {RequestTimeout}, TokenLifetime = {TokenLifetime}, ");
        builder.Append($"WebhookHeaderName = {WebhookHeaderName}, secrets = [redacted]");
        return true;
    }
}

/// <summary>Where the 100ms secrets live in production. Configuration section <c>KeyVault</c>.</summary>
public sealed class KeyVaultOptions
{
    public const string Section = "KeyVault";

    /// <summary>When set, secrets are read from this vault instead of the <c>Hms</c> section.</summary>
    public Uri? Uri { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty for the default credential chain.</summary>
    public string? ClientId { get; set; }

    public string AccessKeySecretName { get; set; } = "hms-access-key";
    public string AppSecretSecretName { get; set; } = "hms-app-secret";
    public string ManagementTokenSecretName { get; set; } = "hms-management-token";
    public string WebhookSecretSecretName { get; set; } = "hms-webhook-secret";

    /// <summary>How long a secret value read from the vault is reused before it is read again.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromMinutes(5);
}
