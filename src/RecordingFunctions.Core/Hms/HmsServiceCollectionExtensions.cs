using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace RecordingFunctions.Hms;

public static class HmsServiceCollectionExtensions
{
    /// <summary>
    /// The 100ms client, its management token and the secret store: Key Vault when <c>KeyVault:Uri</c> is set,
    /// the <c>Hms</c> configuration section otherwise.
    /// </summary>
    public static IServiceCollection AddHmsClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<HmsOptions>(configuration.GetSection(HmsOptions.Section));
        services.Configure<KeyVaultOptions>(configuration.GetSection(KeyVaultOptions.Section));
        services.TryAddSingleton(TimeProvider.System);

        var vaultUri = configuration.GetSection(KeyVaultOptions.Section).GetValue<Uri?>(nameof(KeyVaultOptions.Uri));
        if (vaultUri is not null)
        {
            services.AddSingleton(provider =>
            {
                var vault = provider.GetRequiredService<IOptions<KeyVaultOptions>>().Value;
                var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
                {
                    ManagedIdentityClientId = string.IsNullOrEmpty(vault.ClientId) ? null : vault.ClientId,
                });
                return new SecretClient(vaultUri, credential);
            });
            services.AddSingleton<IHmsSecretStore, KeyVaultSecretStore>();
        }
        else
        {
            services.AddSingleton<IHmsSecretStore, ConfigurationSecretStore>();
        }

        services.AddSingleton<IHmsManagementTokenProvider, HmsManagementTokenProvider>();
        services.AddHttpClient<HmsClient>((provider, http) =>
        {
            var hms = provider.GetRequiredService<IOptions<HmsOptions>>().Value;
            http.BaseAddress = hms.BaseUrl;
            http.Timeout = hms.RequestTimeout;
        });
        return services;
    }
}
