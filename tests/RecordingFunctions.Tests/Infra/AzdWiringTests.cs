using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using RecordingFunctions.Functions;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Infra;

/// <summary>azure.yaml, main.parameters.json, the template's outputs and the postprovision hooks agree with each other and with the app.</summary>
public sealed partial class AzdWiringTests
{
    private static ArmTemplate Template => ArmTemplate.Main;

    private static string Read(params string[] path) => File.ReadAllText(Path.Combine([RepositoryPaths.Root, .. path]));

    [Fact]
    public void The_template_outputs_what_azd_and_the_deploy_guide_use()
    {
        string[] expected =
        [
            "AZURE_LOCATION", "AZURE_TENANT_ID", "AZURE_RESOURCE_GROUP", "RESOURCE_GROUP", "AZURE_FUNCTION_NAME", "SERVICE_API_NAME",
            "SERVICE_API_URI", "AZURE_KEY_VAULT_NAME", "AZURE_KEY_VAULT_ENDPOINT", "AZURE_STORAGE_ACCOUNT_NAME",
        ];
        var outputs = Template.Root["outputs"]?.AsObject().Select(o => o.Key).ToHashSet();
        Assert.NotNull(outputs);
        Assert.All(expected, name => Assert.Contains(name, outputs));
        Assert.All(outputs, name => Assert.Matches("^[A-Z][A-Z0-9_]*$", name));
    }

    [Fact]
    public void The_hooks_read_only_outputs_of_the_template_and_both_read_the_same()
    {
        var posix = ShellVariable().Matches(Read("infra", "hooks", "postprovision.sh")).Select(m => m.Groups["name"].Value).ToHashSet();
        var windows = PwshOutput().Matches(Read("infra", "hooks", "postprovision.ps1")).Select(m => m.Groups["name"].Value).ToHashSet();
        Assert.NotEmpty(posix);
        Assert.Equal(posix.Order(), windows.Order());
        Assert.All(posix, name => Assert.NotNull(Template.Root["outputs"]?[name]));
    }

    [Fact]
    public void The_hooks_print_the_secret_names_and_header_the_app_reads()
    {
        var settings = Template.AppSettings;
        string? Setting(string name) => Template.FunctionApp.Resolve(settings[name])?.GetValue<string>();
        string? Output(string name) => Template.Output(name)?.GetValue<string>();

        Assert.Equal(Setting("KeyVault__AccessKeySecretName"), Output("HMS_ACCESS_KEY_SECRET_NAME"));
        Assert.Equal(Setting("KeyVault__AppSecretSecretName"), Output("HMS_APP_SECRET_SECRET_NAME"));
        Assert.Equal(Setting("KeyVault__WebhookSecretSecretName"), Output("HMS_WEBHOOK_SECRET_SECRET_NAME"));
        Assert.Equal(Setting("Hms__WebhookHeaderName"), Output("HMS_WEBHOOK_HEADER_NAME"));
        Assert.NotNull(Output("HMS_ACCESS_KEY_SECRET_NAME"));
    }

    [Fact]
    public void The_webhook_url_printed_is_the_webhook_functions_route()
    {
        var trigger = typeof(HmsWebhookFunction).GetMethod(nameof(HmsWebhookFunction.Receive))!
            .GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).Single(a => a is not null)!;
        Assert.Equal(AuthorizationLevel.Anonymous, trigger.AuthLevel); // 100ms authenticates with the header, not a function key
        var url = Template.Root["outputs"]?["HMS_WEBHOOK_URL"]?["value"]?.GetValue<string>();
        Assert.NotNull(url);
        Assert.StartsWith($"[format('{{0}}/api/{trigger.Route}', ", url);
        Assert.Contains("'Microsoft.Resources/deployments', 'api')", url);
    }

    [Fact]
    public void The_parameters_file_maps_every_required_parameter_and_only_declared_ones()
    {
        var file = JsonNode.Parse(Read("infra", "main.parameters.json"))?["parameters"]?.AsObject();
        var declared = Template.Root["parameters"]?.AsObject();
        Assert.NotNull(file);
        Assert.NotNull(declared);
        Assert.All(file, p => Assert.True(declared.ContainsKey(p.Key), $"main.parameters.json sets {p.Key}, which main.bicep does not declare."));
        Assert.All(declared.Where(p => p.Value?["defaultValue"] is null), p => Assert.True(file.ContainsKey(p.Key), $"{p.Key} has no default and no value."));
        Assert.Equal("${AZURE_ENV_NAME}", file["environmentName"]?["value"]?.GetValue<string>());
        Assert.Equal("${AZURE_LOCATION}", file["location"]?["value"]?.GetValue<string>());
        Assert.Equal("${AZURE_PRINCIPAL_ID}", file["principalId"]?["value"]?.GetValue<string>());
    }

    [Fact]
    public void Azure_yaml_deploys_the_Functions_project_and_runs_existing_hooks()
    {
        var yaml = Read("azure.yaml");
        Assert.Matches(@"(?m)^name: recording-functions$", yaml);
        Assert.Matches(@"(?m)^\s+language: dotnet$", yaml);
        Assert.Matches(@"(?m)^\s+host: function$", yaml);

        var project = YamlValue("project").Match(yaml).Groups["value"].Value;
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, project, "RecordingFunctions.csproj")), $"No Functions project at {project}.");

        var hooks = YamlValue("run").Matches(yaml).Select(m => m.Groups["value"].Value).ToList();
        Assert.Equal(2, hooks.Count);
        Assert.All(hooks, hook => Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, hook)), $"No hook script at {hook}."));
    }

    // ${NAME:?...} in the sh hook; Get-Output 'NAME' in the pwsh hook.
    [GeneratedRegex(@"\$\{(?<name>[A-Z][A-Z0-9_]*)[:}]")]
    private static partial Regex ShellVariable();

    [GeneratedRegex(@"Get-Output '(?<name>[A-Z][A-Z0-9_]*)'")]
    private static partial Regex PwshOutput();

    private static Regex YamlValue(string key) => new($@"(?m)^\s+{key}: \.?/?(?<value>\S+)\s*$");
}
