using System.Diagnostics.Metrics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using RecordingFunctions.Telemetry;

namespace RecordingFunctions.Tests.Infra;

/// <summary>The alerts infra/core/alerts.bicep creates query the metrics the app really emits, and cost nothing unless used.</summary>
public sealed partial class AlertTests
{
    private static ArmTemplate Template => ArmTemplate.Main;

    private static ArmResource Rule(string name) =>
        Assert.Single(Template.OfType("Microsoft.Insights/scheduledQueryRules"), r => r.Json["name"]?.GetValue<string>() == name);

    private static string Query(ArmResource rule) => rule.Properties!["criteria"]!["allOf"]![0]!["query"]!.GetValue<string>();

    /// <summary>The instruments of the RecordingFunctions meter, as a listener sees them published.</summary>
    private static HashSet<string> AppMetricNames()
    {
        // Instruments are created by the static fields of the classes that record them: create them all.
        foreach (var type in typeof(RecordingFunctionsTelemetry).Assembly.GetTypes()
            .Where(t => t.GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public).Any(f => typeof(Instrument).IsAssignableFrom(f.FieldType))))
            RuntimeHelpers.RunClassConstructor(type.TypeHandle);
        var names = new HashSet<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name == RecordingFunctionsTelemetry.Name) lock (names) names.Add(instrument.Name);
        };
        listener.Start();
        return names;
    }

    [Fact]
    public void Two_log_alerts_watch_the_workspace_for_failed_pipelines_and_unauthorized_webhooks()
    {
        var rules = Template.OfType("Microsoft.Insights/scheduledQueryRules").ToList();
        Assert.Equal(["alert-failed-pipelines", "alert-unauthorized-webhooks"], rules.Select(r => r.Json["name"]!.GetValue<string>()).Order());
        foreach (var rule in rules)
        {
            var scope = Assert.Single(rule.Properties!["scopes"]!.AsArray())!.GetValue<string>();
            Assert.StartsWith("[resourceId('Microsoft.OperationalInsights/workspaces'", scope);
            Assert.True(rule.Properties!["enabled"]!.GetValue<bool>());
            Assert.Contains("docs/operations.md", rule.Properties!["description"]!.GetValue<string>());
        }

        var failed = Rule("alert-failed-pipelines");
        Assert.Contains("\"recordingfunctions.pipelines.ended\"", Query(failed));
        Assert.Contains("Properties.phase) == \"failed\"", Query(failed));
        Assert.Equal(("GreaterThan", 0), (failed.Properties!["criteria"]!["allOf"]![0]!["operator"]!.GetValue<string>(),
            failed.Properties!["criteria"]!["allOf"]![0]!["threshold"]!.GetValue<int>()));

        var unauthorized = Rule("alert-unauthorized-webhooks");
        Assert.Contains("\"recordingfunctions.webhooks.requests\"", Query(unauthorized));
        Assert.Contains("Properties.outcome) == \"unauthorized\"", Query(unauthorized));
        var threshold = unauthorized.Properties!["criteria"]!["allOf"]![0]!["threshold"];
        Assert.Equal("unauthorizedWebhookThreshold", unauthorized.MainParameterBehind(threshold));
        Assert.Equal(20, Template.Root["parameters"]!["unauthorizedWebhookThreshold"]!["defaultValue"]!.GetValue<int>());
    }

    [Fact]
    public void Every_metric_an_alert_queries_is_one_the_app_emits()
    {
        var emitted = AppMetricNames();
        Assert.Contains("recordingfunctions.pipelines.ended", emitted);
        foreach (var rule in Template.OfType("Microsoft.Insights/scheduledQueryRules"))
            foreach (Match name in MetricName().Matches(Query(rule)))
                Assert.Contains(name.Groups["name"].Value, emitted);
    }

    [Fact]
    public void The_action_group_exists_only_with_an_email_address_and_nothing_else_billable_is_added()
    {
        var group = Template.Single("Microsoft.Insights/actionGroups");
        Assert.Equal("[not(empty(parameters('alertEmail')))]", group.Json["condition"]?.GetValue<string>());
        Assert.Equal("alertEmail", group.MainParameterBehind(group.Properties!["emailReceivers"]![0]!["emailAddress"]));
        Assert.Equal("", Template.Root["parameters"]!["alertEmail"]!["defaultValue"]!.GetValue<string>());
        var module = Template.Module("alerts").Json["properties"]!["template"]!;
        Assert.StartsWith("[if(empty(parameters('alertEmail')), createArray()", module["variables"]!["actions"]!.GetValue<string>());
        foreach (var rule in Template.OfType("Microsoft.Insights/scheduledQueryRules"))
            Assert.Equal("[variables('actions')]", rule.Properties!["actions"]!["actionGroups"]!.GetValue<string>());

        var alerts = module["resources"]!;
        var types = (alerts is System.Text.Json.Nodes.JsonArray list ? list : alerts.AsObject().Select(p => p.Value))
            .Where(r => r?["existing"]?.GetValue<bool>() != true)
            .Select(r => r!["type"]!.GetValue<string>()).Distinct().Order();
        Assert.Equal(["Microsoft.Insights/actionGroups", "Microsoft.Insights/scheduledQueryRules"], types);
    }

    [GeneratedRegex("Name == \"(?<name>[a-z_.]+)\"")]
    private static partial Regex MetricName();
}
