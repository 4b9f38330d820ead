using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Infra;

/// <summary>The security and hosting properties infra/ promises, read from the compiled template.</summary>
public sealed partial class TemplateSecurityTests
{
    private static ArmTemplate Template => ArmTemplate.Main;

    [Fact]
    public void Storage_accepts_only_Microsoft_Entra_over_HTTPS_and_TLS_1_2_with_no_public_blobs()
    {
        var storage = Template.Single("Microsoft.Storage/storageAccounts").Properties;
        Assert.False(storage?["allowSharedKeyAccess"]?.GetValue<bool>());
        Assert.False(storage?["allowBlobPublicAccess"]?.GetValue<bool>());
        Assert.True(storage?["supportsHttpsTrafficOnly"]?.GetValue<bool>());
        Assert.Equal("TLS1_2", storage?["minimumTlsVersion"]?.GetValue<string>());

        var containers = Template.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").ToList();
        Assert.NotEmpty(containers);
        Assert.All(containers, c => Assert.Equal("None", c.Properties?["publicAccess"]?.GetValue<string>()));
        // Durable Functions on Azure Storage needs the three services.
        Template.Single("Microsoft.Storage/storageAccounts/queueServices");
        Template.Single("Microsoft.Storage/storageAccounts/tableServices");
    }

    [Fact]
    public void The_archive_and_deployment_containers_the_app_uses_are_the_ones_created()
    {
        var created = Template.OfType("Microsoft.Storage/storageAccounts/blobServices/containers")
            .Select(c => c.Resolve(JsonValue.Create(LastFormatArgument(c.Json["name"]?.GetValue<string>())))?.GetValue<string>())
            .ToList();

        var archive = Template.FunctionApp.Resolve(Template.AppSettings["RecordingStorage__Container"])?.GetValue<string>();
        Assert.NotNull(archive);
        Assert.Contains(archive, created);

        var deployment = Template.FunctionApp.Properties?["functionAppConfig"]?["deployment"]?["storage"];
        Assert.Equal("blobContainer", deployment?["type"]?.GetValue<string>());
        var deploymentContainer = Template.FunctionApp.Resolve(
            JsonValue.Create(LastFormatArgument(deployment?["value"]?.GetValue<string>())))?.GetValue<string>();
        Assert.NotNull(deploymentContainer);
        Assert.Contains(deploymentContainer, created);
        Assert.NotEqual(archive, deploymentContainer);
    }

    [Fact]
    public void Key_Vault_authorizes_with_RBAC_and_keeps_deleted_secrets_recoverable()
    {
        var vault = Template.Single("Microsoft.KeyVault/vaults");
        var properties = vault.Properties;
        Assert.True(properties?["enableRbacAuthorization"]?.GetValue<bool>());
        Assert.True(properties?["enableSoftDelete"]?.GetValue<bool>());
        Assert.Null(properties?["accessPolicies"]);

        var retention = vault.Resolve(properties?["softDeleteRetentionInDays"])?.GetValue<int>();
        Assert.InRange(retention ?? 0, 7, 90);
        var parameter = vault.MainParameterBehind(properties?["softDeleteRetentionInDays"]);
        Assert.NotNull(parameter);
        Assert.Equal(7, Template.Root["parameters"]?[parameter]?["minValue"]?.GetValue<int>());
        Assert.Equal(90, Template.Root["parameters"]?[parameter]?["maxValue"]?.GetValue<int>());

        // Optional: purge protection is a parameter, off by default so that `azd down --purge` works.
        var condition = PurgeProtectionCondition().Match(properties?["enablePurgeProtection"]?.GetValue<string>() ?? "");
        Assert.True(condition.Success, "enablePurgeProtection should be true or left out, as a parameter decides.");
        var purge = vault.MainParameterBehind(JsonValue.Create($"[parameters('{condition.Groups["p"].Value}')]"));
        Assert.NotNull(purge);
        Assert.False(Template.Root["parameters"]?[purge]?["defaultValue"]?.GetValue<bool>());
    }

    [Fact]
    public void Telemetry_accepts_only_Microsoft_Entra_authentication()
    {
        Assert.True(Template.Single("Microsoft.Insights/components").Properties?["DisableLocalAuth"]?.GetValue<bool>());
        Assert.True(Template.Single("Microsoft.OperationalInsights/workspaces").Properties?["features"]?["disableLocalAuth"]?.GetValue<bool>());
        Assert.Contains("APPLICATIONINSIGHTS_CONNECTION_STRING", Template.AppSettings.Keys);
        Assert.Contains("Authorization=AAD", Template.AppSettings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]?.GetValue<string>());
    }

    [Fact]
    public void The_function_app_is_HTTPS_only_with_TLS_1_2_and_no_FTP_or_basic_auth_publishing()
    {
        var app = Template.FunctionApp.Properties;
        Assert.True(app?["httpsOnly"]?.GetValue<bool>());
        Assert.Equal("Disabled", app?["siteConfig"]?["ftpsState"]?.GetValue<string>());
        Assert.Equal("1.2", app?["siteConfig"]?["minTlsVersion"]?.GetValue<string>());

        var policies = Template.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        Assert.Equal(2, policies.Count);
        Assert.All(policies, p => Assert.False(p.Properties?["allow"]?.GetValue<bool>()));
    }

    [Fact]
    public void The_function_app_runs_the_apps_target_framework_on_Flex_Consumption_as_the_azd_api_service()
    {
        var plan = Template.Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", plan.Json["sku"]?["name"]?.GetValue<string>());
        Assert.Equal("FlexConsumption", plan.Json["sku"]?["tier"]?.GetValue<string>());
        Assert.True(plan.Properties?["reserved"]?.GetValue<bool>()); // Linux

        var app = Template.FunctionApp;
        var config = app.Properties?["functionAppConfig"];
        Assert.Equal("dotnet-isolated", config?["runtime"]?["name"]?.GetValue<string>());
        var targetFramework = XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Build.props"))
            .Descendants("TargetFramework").Single().Value;
        Assert.Equal(targetFramework, "net" + config?["runtime"]?["version"]?.GetValue<string>());

        Assert.Equal(2048, app.Resolve(config?["scaleAndConcurrency"]?["instanceMemoryMB"])?.GetValue<int>());
        Assert.InRange(app.Resolve(config?["scaleAndConcurrency"]?["maximumInstanceCount"])?.GetValue<int>() ?? 0, 1, 1000);

        var authentication = config?["deployment"]?["storage"]?["authentication"];
        Assert.Equal("UserAssignedIdentity", authentication?["type"]?.GetValue<string>());
        Assert.Equal("[parameters('identityId')]", authentication?["userAssignedIdentityResourceId"]?.GetValue<string>());
        Assert.Equal("UserAssigned", app.Json["identity"]?["type"]?.GetValue<string>());
        Assert.Contains("createObject('azd-service-name', 'api')", app.Json["tags"]?.GetValue<string>());

        Template.Single("Microsoft.ManagedIdentity/userAssignedIdentities");
        var group = Template.Single("Microsoft.Resources/resourceGroups");
        Assert.Equal("environmentName", group.MainParameterBehind(Template.Root["variables"]?["tags"]?["azd-env-name"]));
        Assert.Equal("[variables('tags')]", group.Json["tags"]?.GetValue<string>());
    }

    [Fact]
    public void Role_assignments_are_the_least_that_work_each_named_after_scope_principal_and_role()
    {
        const string StorageAccount = "Microsoft.Storage/storageAccounts", Vault = "Microsoft.KeyVault/vaults", Insights = "Microsoft.Insights/components";
        var expected = new[]
        {
            ("identityPrincipalId", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", StorageAccount, "ServicePrincipal"), // Storage Blob Data Owner
            ("identityPrincipalId", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", StorageAccount, "ServicePrincipal"), // Storage Queue Data Contributor
            ("identityPrincipalId", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", StorageAccount, "ServicePrincipal"), // Storage Table Data Contributor
            ("identityPrincipalId", "4633458b-17de-408a-b874-0445c86b69e6", Vault, "ServicePrincipal"), // Key Vault Secrets User
            ("identityPrincipalId", "3913510d-42f4-4e42-8a64-420c390055eb", Insights, "ServicePrincipal"), // Monitoring Metrics Publisher
            ("userPrincipalId", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", Vault, "User"), // Key Vault Secrets Officer
        };

        var actual = Template.OfType("Microsoft.Authorization/roleAssignments").Select(assignment =>
        {
            var properties = assignment.Properties;
            var role = RoleDefinition().Match(properties?["roleDefinitionId"]?.GetValue<string>() ?? "");
            Assert.True(role.Success, $"Role definition {properties?["roleDefinitionId"]} is not a built-in role id.");
            var principal = ParameterName().Match(properties?["principalId"]?.GetValue<string>() ?? "").Groups["name"].Value;
            var scope = ScopeType().Match(assignment.Json["scope"]?.GetValue<string>() ?? "").Groups["type"].Value;
            var name = assignment.Json["name"]?.GetValue<string>() ?? "";
            Assert.StartsWith("[guid(resourceId('" + scope + "'", name);
            Assert.Contains($"parameters('{principal}')", name);
            Assert.Contains(role.Groups["id"].Value, name);
            var principalType = assignment.Resolve(properties?["principalType"])?.GetValue<string>();
            return (principal, role.Groups["id"].Value, scope, principalType ?? "");
        }).ToList();

        Assert.Equal(expected.Order(), actual.Order());
        // The user's assignment is skipped when azd has no principal id (e.g. some CI logins).
        Assert.Equal("[not(empty(parameters('userPrincipalId')))]",
            Assert.Single(Template.OfType("Microsoft.Authorization/roleAssignments"), a => a.Json["condition"] is not null).Json["condition"]?.GetValue<string>());
    }

    private static string LastFormatArgument(string? expression) =>
        LastArgument().Match(expression ?? "") is { Success: true } m ? $"[parameters('{m.Groups["name"].Value}')]" : expression ?? "";

    [GeneratedRegex(@"^\[subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions', '(?<id>[0-9a-f-]{36})'\)\]$")]
    private static partial Regex RoleDefinition();

    [GeneratedRegex(@"^\[parameters\('(?<name>\w+)'\)\]$")]
    private static partial Regex ParameterName();

    [GeneratedRegex(@"^\[resourceId\('(?<type>[^']+)'")]
    private static partial Regex ScopeType();

    [GeneratedRegex(@"parameters\('(?<name>\w+)'\)\)\]$")]
    private static partial Regex LastArgument();

    [GeneratedRegex(@"^\[if\(parameters\('(?<p>\w+)'\), true\(\), null\(\)\)\]$")]
    private static partial Regex PurgeProtectionCondition();
}
