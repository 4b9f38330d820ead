using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using RecordingFunctions.Functions;
using RecordingFunctions.HmsSimulator;

namespace RecordingFunctions.Tests.RunLocal;

/// <summary>
/// The settings run-local gives the simulator and the app (<see cref="LocalStack"/>) agree: the app signs tokens with
/// the keys the simulator checks, expects the webhook secret in the header the simulator sends it in, and the
/// simulator posts to the app's webhook trigger; the environment variables reach both.
/// </summary>
public sealed class LocalStackTests
{
    private static readonly Dictionary<string, string> Overrides = new()
    {
        ["API_PORT"] = "17071",
        ["SIMULATOR_PORT"] = "15080",
        ["HMS_ACCESS_KEY"] = "aaaabbbbccccddddeeeeffff",
        ["HMS_APP_SECRET"] = "an-app-secret-from-the-environment",
        ["HMS_WEBHOOK_SECRET"] = "a-webhook-secret-from-the-environment",
        ["TIME_SCALE"] = "120",
        ["AZURITE_PORTS"] = "20000,20001,20002",
    };

    private static SimulatorOptions SimulatorGets(LocalStack stack)
    {
        var options = new SimulatorOptions();
        new ConfigurationBuilder().AddInMemoryCollection(stack.SimulatorSettings()).Build().GetSection(SimulatorOptions.Section).Bind(options);
        return options;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_app_is_given_the_keys_webhook_secret_and_header_the_simulator_is_given(bool fromEnvironment)
    {
        var stack = LocalStack.FromEnvironment(name => fromEnvironment ? Overrides.GetValueOrDefault(name) : null);
        var simulator = SimulatorGets(stack);
        var app = stack.AppSettings();

        Assert.Equal(simulator.AccessKey, app["Hms:AccessKey"]);
        Assert.Equal(simulator.AppSecret, app["Hms:AppSecret"]);
        Assert.Equal(simulator.TimeScale.ToString(System.Globalization.CultureInfo.InvariantCulture), app["Pipeline:TimeScale"]);
        var header = app["Hms:WebhookHeaderName"]!;
        Assert.Equal(app["Hms:WebhookSecret"], simulator.WebhookHeaders[header]);
        Assert.Equal($"{stack.SimulatorUrl}v2/", app["Hms:BaseUrl"]);
        Assert.Equal("true", app["Downloads:AllowHttp"]);

        var webhookTrigger = typeof(HmsWebhookFunction).GetMethods()
            .SelectMany(m => m.GetParameters()).Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).Single(t => t is not null)!;
        Assert.Equal($"{stack.ApiUrl}api/{webhookTrigger.Route}", simulator.WebhookUrl);
    }

    [Fact]
    public void The_environment_variables_reach_the_simulator_and_the_app()
    {
        var stack = LocalStack.FromEnvironment(Overrides.GetValueOrDefault);
        var simulator = SimulatorGets(stack);
        var app = stack.AppSettings();

        Assert.Equal("aaaabbbbccccddddeeeeffff", simulator.AccessKey);
        Assert.Equal("an-app-secret-from-the-environment", simulator.AppSecret);
        Assert.Equal("a-webhook-secret-from-the-environment", app["Hms:WebhookSecret"]);
        Assert.Equal(120, simulator.TimeScale);
        Assert.Equal("http://127.0.0.1:17071/api/webhooks/100ms", simulator.WebhookUrl);
        Assert.Equal("http://127.0.0.1:15080/v2/", app["Hms:BaseUrl"]);
        Assert.Contains("BlobEndpoint=http://127.0.0.1:20000/", app["AzureWebJobsStorage"]);
        Assert.Contains("QueueEndpoint=http://127.0.0.1:20001/", app["AzureWebJobsStorage"]);
        Assert.Contains("TableEndpoint=http://127.0.0.1:20002/", app["AzureWebJobsStorage"]);
    }

    [Fact]
    public void With_real_100ms_storage_and_Key_Vault_the_app_gets_no_simulator_settings_or_secrets()
    {
        var environment = new Dictionary<string, string>
        {
            ["HMS_BASE_URL"] = "https://api.100ms.live/v2",
            ["TIME_SCALE"] = "60",
            ["STORAGE_CONNECTION_STRING"] = "DefaultEndpointsProtocol=https;AccountName=real;AccountKey=a2V5;EndpointSuffix=core.windows.net",
            ["KEYVAULT_URI"] = "https://recordings.vault.azure.net/",
        };
        var stack = LocalStack.FromEnvironment(environment.GetValueOrDefault);
        var app = stack.AppSettings();

        Assert.False(stack.UsesSimulator);
        Assert.False(stack.UsesAzurite);
        Assert.Equal("https://api.100ms.live/v2/", app["Hms:BaseUrl"]);
        Assert.Equal("1", app["Pipeline:TimeScale"]); // real 100ms takes real time
        Assert.Equal(environment["STORAGE_CONNECTION_STRING"], app["AzureWebJobsStorage"]);
        Assert.Equal(environment["KEYVAULT_URI"], app["KeyVault:Uri"]);
        Assert.DoesNotContain(app.Keys, key => key is "Hms:AccessKey" or "Hms:AppSecret" or "Hms:WebhookSecret" or "Hms:ManagementToken");
        Assert.DoesNotContain(app.Keys, key => key.StartsWith("Downloads:", StringComparison.Ordinal));
    }

    [Fact]
    public void Environment_variables_use_double_underscores()
    {
        var environment = LocalStack.AsEnvironment(new LocalStack().SimulatorSettings()).ToDictionary();
        Assert.Equal(LocalStack.DefaultWebhookSecret, environment[$"Simulator__WebhookHeaders__{LocalStack.WebhookHeader}"]);
        Assert.DoesNotContain(environment.Keys, key => key.Contains(':', StringComparison.Ordinal));
    }
}
