using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Options;
using Moq;
using RecordingFunctions.Hms;

namespace RecordingFunctions.Tests.Hms;

public class KeyVaultSecretStoreTests
{
    private const string Value = "the-real-app-secret-value";
    private readonly Mock<SecretClient> client = new();
    private readonly ManualClock clock = new(DateTimeOffset.Parse("2026-11-25T10:00:00Z"));

    private KeyVaultSecretStore Store() => new(client.Object, Options.Create(new KeyVaultOptions
    {
        AppSecretSecretName = "custom-app-secret",
        CacheTtl = TimeSpan.FromMinutes(5),
    }), clock);

    private void VaultReturns(string name, string value) =>
        client.Setup(c => c.GetSecretAsync(name, null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(SecretModelFactory.KeyVaultSecret(new SecretProperties(name), value), Mock.Of<Response>()));

    [Fact]
    public async Task Values_are_read_by_their_configured_names_and_cached_for_the_ttl()
    {
        VaultReturns("custom-app-secret", Value);
        var store = Store();

        var first = await store.GetAsync(HmsSecret.AppSecret, default);
        clock.Now += TimeSpan.FromMinutes(4);
        var cached = await store.GetAsync(HmsSecret.AppSecret, default);
        VaultReturns("custom-app-secret", "rotated");
        clock.Now += TimeSpan.FromMinutes(2);
        var reread = await store.GetAsync(HmsSecret.AppSecret, default);

        Assert.Equal(Value, first);
        Assert.Equal(Value, cached);
        Assert.Equal("rotated", reread);
        client.Verify(c => c.GetSecretAsync("custom-app-secret", null, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task A_missing_secret_is_null()
    {
        client.Setup(c => c.GetSecretAsync("hms-management-token", null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(404, "SecretNotFound"));

        Assert.Null(await Store().GetAsync(HmsSecret.ManagementToken, default));
    }

    [Fact]
    public async Task A_vault_failure_names_the_secret_and_never_its_value()
    {
        VaultReturns("custom-app-secret", Value);
        var store = Store();
        await store.GetAsync(HmsSecret.AppSecret, default);
        client.Setup(c => c.GetSecretAsync("hms-webhook-secret", null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(503, "vault is down"));

        var error = await Assert.ThrowsAsync<SecretUnavailableException>(() => store.GetAsync(HmsSecret.WebhookSecret, default).AsTask());

        Assert.Equal("hms-webhook-secret", error.SecretName);
        Assert.Contains("hms-webhook-secret", error.Message);
        Assert.DoesNotContain(Value, error.ToString());
    }
}
