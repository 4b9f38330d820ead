using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using RecordingFunctions.Functions;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Infra;

/// <summary>
/// Core Tools cannot run here, so the Functions app's triggers are checked against what serves them elsewhere:
/// every HTTP function has the same route and method in the local host, and every %setting% a trigger names is
/// set in Azure and in local.settings.sample.json.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class FunctionWiringTests(AzuriteFixture azurite)
{
    private static IEnumerable<MethodInfo> Functions =>
        typeof(RecordingsFunctions).Assembly.GetTypes().SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null);

    private static T? Trigger<T>(MethodInfo function) where T : Attribute =>
        function.GetParameters().Select(p => p.GetCustomAttribute<T>()).SingleOrDefault(a => a is not null);

    [Fact]
    public async Task Every_http_function_is_served_by_the_local_host_on_the_same_route_and_method()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var local = harness.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        var http = Functions.Select(f => Trigger<HttpTriggerAttribute>(f)).Where(t => t is not null).ToList();
        Assert.True(http.Count >= 7, $"found only {http.Count} HTTP functions");
        foreach (var trigger in http)
            foreach (var method in trigger!.Methods!)
                Assert.Contains($"{method} /api/{trigger.Route}", local);
    }

    [Fact]
    public void Every_setting_a_trigger_names_is_set_in_Azure_and_in_the_local_settings_sample()
    {
        var named = Functions.Select(f => Trigger<TimerTriggerAttribute>(f)?.Schedule).OfType<string>()
            .SelectMany(schedule => SettingReference().Matches(schedule).Select(m => m.Groups["name"].Value))
            .ToList();
        Assert.Contains("CalendarSyncSchedule", named);
        Assert.Contains("ArchiveSweepSchedule", named);

        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "local.settings.sample.json")))!["Values"]!.AsObject();
        foreach (var name in named)
        {
            Assert.True(ArmTemplate.Main.AppSettings.ContainsKey(name), $"infra/app/api.bicep does not set {name}");
            Assert.False(string.IsNullOrWhiteSpace(sample[name]?.GetValue<string>()), $"local.settings.sample.json does not set {name}");
        }
    }

    [GeneratedRegex("%(?<name>[^%]+)%")]
    private static partial Regex SettingReference();
}
