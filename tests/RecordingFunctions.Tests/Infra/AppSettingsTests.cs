using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;

namespace RecordingFunctions.Tests.Infra;

/// <summary>
/// No drift between the configuration the app reads and the app settings infra/ gives the function app:
/// every key is either set or listed below with its reason, and nothing is set that nobody reads.
/// </summary>
public sealed class AppSettingsTests
{
    private enum Unset
    {
        /// <summary>The code default is right in Azure; set the app setting only to change it.</summary>
        OptionalWithDefault,

        /// <summary>For local runs and tests; in Azure it must stay unset.</summary>
        LocalOnly,
    }

    /// <summary>The keys the app reads that the template deliberately does not set, and why.</summary>
    private static readonly Dictionary<string, (Unset Kind, string Why)> NotSetInAzure = new()
    {
        ["Hms__RequestTimeout"] = (Unset.OptionalWithDefault, "30 s per call to 100ms"),
        ["Hms__TokenLifetime"] = (Unset.OptionalWithDefault, "24 h, as in 100ms's samples"),
        ["KeyVault__CacheTtl"] = (Unset.OptionalWithDefault, "a rotated secret is picked up within 5 minutes"),
        ["RecordingStorage__BlobServiceUri"] = (Unset.OptionalWithDefault, "falls back to AzureWebJobsStorage__blobServiceUri: the archive shares the host's account"),
        ["RecordingStorage__ClientId"] = (Unset.OptionalWithDefault, "falls back to AzureWebJobsStorage__clientId: the same identity"),
        ["Downloads__AllowedHosts"] = (Unset.OptionalWithDefault, "the built-in list covers 100ms storage and the cloud buckets it writes to"),
        ["Pipeline__PostProcessingBudget"] = (Unset.OptionalWithDefault, "24 h of asking 100ms, with backoff, whether an upload finished"),
        ["Pipeline__TranscriptionStartWait"] = (Unset.OptionalWithDefault, "5 minutes for a template's transcription to show itself"),
        ["Pipeline__RetryAttempts"] = (Unset.OptionalWithDefault, "transient-failure retries, not a product timing"),
        ["Pipeline__RetryFirstInterval"] = (Unset.OptionalWithDefault, "transient-failure retries, not a product timing"),
        ["Pipeline__RetryMaxInterval"] = (Unset.OptionalWithDefault, "transient-failure retries, not a product timing"),
        ["Calendar__Feeds"] = (Unset.OptionalWithDefault, "no feeds until the operator adds them; feed URLs carry private tokens, so they belong in Key Vault references, not in the template"),
        ["Calendar__DefaultRequest"] = (Unset.OptionalWithDefault, "transcription with a summary, as in the README"),
        ["Calendar__MaxFeedBytes"] = (Unset.OptionalWithDefault, "4 MiB per feed"),
        ["Calendar__FeedTimeout"] = (Unset.OptionalWithDefault, "30 s per feed"),
        ["Archive__SweepAnswerWait"] = (Unset.OptionalWithDefault, "POST /api/archive/sweep answers within 20 s; the status URL tells the rest"),
        ["Calendar__AllowHttp"] = (Unset.LocalOnly, "plain http feeds are for local runs only"),
        ["Hms__AccessKey"] = (Unset.LocalOnly, "a secret: read from Key Vault (KeyVault__AccessKeySecretName)"),
        ["Hms__AppSecret"] = (Unset.LocalOnly, "a secret: read from Key Vault (KeyVault__AppSecretSecretName)"),
        ["Hms__ManagementToken"] = (Unset.LocalOnly, "a secret: read from Key Vault (KeyVault__ManagementTokenSecretName)"),
        ["Hms__WebhookSecret"] = (Unset.LocalOnly, "a secret: read from Key Vault (KeyVault__WebhookSecretSecretName)"),
        ["RecordingStorage__ConnectionString"] = (Unset.LocalOnly, "Azurite; the account has no keys, so no connection string exists"),
        ["AzureWebJobsStorage"] = (Unset.LocalOnly, "a connection string (Azurite); Azure uses AzureWebJobsStorage__* with the identity"),
        ["Downloads__AllowHttp"] = (Unset.LocalOnly, "plain http is for the local simulator only"),
        ["Pipeline__TimeScale"] = (Unset.LocalOnly, "speeds up the simulator's clock; 1 (real time) in production"),
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = (Unset.OptionalWithDefault, "telemetry goes to Application Insights; set it to send to an OTLP collector as well"),
        ["Page__OpenOnLoopback"] = (Unset.LocalOnly, "opens the archive page to this machine's browser; in Azure the page needs sign-in or a function key"),
        ["Page__KeyCheckUrl"] = (Unset.OptionalWithDefault, "derived from WEBSITE_HOSTNAME: the app's own function-level route page/key"),
        ["Page__KeyCheckCacheTime"] = (Unset.OptionalWithDefault, "a checked key is trusted for 5 minutes"),
    };

    /// <summary>Settings read by the Functions host rather than by the app's code.</summary>
    private static readonly HashSet<string> PlatformSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
        "AzureWebJobsStorage__credential",
    };

    /// <summary>Platform settings a Flex Consumption app refuses: the runtime and deployment are in functionAppConfig.</summary>
    private static readonly string[] RefusedByFlexConsumption =
    [
        "FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_WORKER_RUNTIME_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
    ];

    private static ArmResource FunctionApp => ArmTemplate.Main.FunctionApp;

    private static IReadOnlyDictionary<string, JsonNode?> AppSettings => ArmTemplate.Main.AppSettings;

    [Fact]
    public void Every_key_the_app_reads_is_set_or_listed_as_unset_with_a_reason()
    {
        var settings = AppSettings;
        var forgotten = AppConfigurationKeys.All
            .Where(k => !settings.Keys.Any(s => AppConfigurationKeys.Find(s) == k) && !NotSetInAzure.ContainsKey(k.Name))
            .Select(k => k.Name)
            .ToList();
        Assert.True(forgotten.Count == 0,
            "Set these in infra/app/api.bicep, or list them in NotSetInAzure with a reason: " + string.Join(", ", forgotten));
    }

    [Fact]
    public void Keys_listed_as_unset_are_read_by_the_app_and_really_unset()
    {
        var settings = AppSettings;
        foreach (var (name, (kind, _)) in NotSetInAzure)
        {
            Assert.True(AppConfigurationKeys.Find(name) is not null, $"NotSetInAzure lists {name}, which the app no longer reads.");
            Assert.False(settings.Keys.Any(s => AppConfigurationKeys.Find(s)?.Name == name),
                $"{name} is listed as {kind} but infra/app/api.bicep sets it.");
        }
    }

    [Fact]
    public void Every_app_setting_is_read_by_the_app_or_the_Functions_host()
    {
        var unread = AppSettings.Keys
            .Where(s => AppConfigurationKeys.Find(s) is null && !PlatformSettings.Contains(s))
            .ToList();
        Assert.True(unread.Count == 0, "The template sets app settings nothing reads: " + string.Join(", ", unread));
    }

    [Fact]
    public void Secrets_and_settings_Flex_Consumption_refuses_are_not_app_settings()
    {
        var settings = AppSettings;
        var localOnly = NotSetInAzure.Where(e => e.Value.Kind == Unset.LocalOnly).Select(e => e.Key);
        foreach (var name in localOnly.Concat(RefusedByFlexConsumption))
            Assert.False(settings.ContainsKey(name), $"{name} must not be set in Azure.");
        Assert.Contains("Hms__AppSecret", localOnly);
        Assert.Contains("Hms__WebhookSecret", localOnly);
    }

    [Fact]
    public void Template_values_equal_the_code_defaults()
    {
        var mismatches = new List<string>();
        var compared = 0;
        foreach (var (name, value) in AppSettings)
        {
            if (AppConfigurationKeys.Find(name) is not { Property: { } property, CodeDefault: { } codeDefault }) continue;
            // A key whose code default is null gets a value only the deployment knows (the vault URI, the identity).
            var literal = FunctionApp.Resolve(value);
            if (literal is not JsonValue templateValue)
            {
                mismatches.Add($"{name}: {value} is not a literal or a parameter default");
                continue;
            }
            var text = templateValue.TryGetValue<string>(out var s) ? s : templateValue.ToJsonString();
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var parsed = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(text);
            if (!Equals(parsed, codeDefault))
                mismatches.Add($"{name}: template {text}, code {Convert.ToString(codeDefault, CultureInfo.InvariantCulture)}");
            compared++;
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.True(compared >= 10, $"Only {compared} settings were compared with the code defaults.");
    }

    [Fact]
    public void Pipeline_timings_are_main_template_parameters()
    {
        var pipeline = AppSettings.Where(s => s.Key.StartsWith("Pipeline__", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(pipeline);
        foreach (var (name, value) in pipeline)
            Assert.True(FunctionApp.MainParameterBehind(value) is not null, $"{name} does not come from a parameter of infra/main.bicep.");
    }

    [Fact]
    public void The_app_reaches_Key_Vault_storage_and_telemetry_as_its_user_assigned_identity()
    {
        var settings = AppSettings;
        Assert.Equal("[reference('vault').vaultUri]", settings["KeyVault__Uri"]?.GetValue<string>());
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]?.GetValue<string>());
        const string clientId = "[parameters('identityClientId')]";
        Assert.Equal(clientId, settings["KeyVault__ClientId"]?.GetValue<string>());
        Assert.Equal(clientId, settings["AzureWebJobsStorage__clientId"]?.GetValue<string>());
        Assert.Equal(
            "[format('ClientId={0};Authorization=AAD', parameters('identityClientId'))]",
            settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]?.GetValue<string>());

        var passed = ArmTemplate.Main.Module("api").Properties?["parameters"]?["identityClientId"]?["value"]?.GetValue<string>();
        Assert.Matches(@"'Microsoft\.Resources/deployments', 'identity'\).*\.outputs\.clientId\.value\]$", passed);
    }
}
