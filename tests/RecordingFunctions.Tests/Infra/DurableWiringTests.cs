using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using RecordingFunctions.Functions;
using RecordingFunctions.LocalHost;
using RecordingFunctions.Pipeline;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Infra;

/// <summary>
/// The Functions app registers orchestrators and activities through its triggers; the local host and the tests through
/// <see cref="PipelineRegistration"/>. A name missing on one side works in one host and fails in the other, so the sets
/// are compared here, with the names in <see cref="PipelineNames"/> and the task hub both hosts use.
/// </summary>
public sealed class DurableWiringTests
{
    private static IEnumerable<MethodInfo> Functions =>
        typeof(RecordingsFunctions).Assembly.GetTypes().SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null);

    private static HashSet<string> FunctionsWith<TTrigger>() where TTrigger : Attribute =>
        Functions.Where(f => f.GetParameters().Any(p => p.GetCustomAttribute<TTrigger>() is not null))
            .Select(f => f.GetCustomAttribute<FunctionAttribute>()!.Name).ToHashSet();

    /// <summary>The registry keeps its names internal; read them, failing loudly if the shape changes.</summary>
    private static HashSet<string> Registered(DurableTaskRegistry registry, string property)
    {
        var names = typeof(DurableTaskRegistry).GetProperty(property, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            ?.GetValue(registry) as IEnumerable
            ?? throw new InvalidOperationException($"DurableTaskRegistry.{property} is not readable in this version of Microsoft.DurableTask.");
        return names.Cast<object>().Select(entry => ((TaskName)entry.GetType().GetProperty("Key")!.GetValue(entry)!).Name).ToHashSet();
    }

    [Fact]
    public void The_Functions_triggers_and_the_worker_registration_name_the_same_orchestrators_and_activities()
    {
        var registry = new DurableTaskRegistry().AddRecordingFunctions();

        Assert.Equal(FunctionsWith<OrchestrationTriggerAttribute>().Order(), Registered(registry, "Orchestrators").Order());
        Assert.Equal(FunctionsWith<ActivityTriggerAttribute>().Order(), Registered(registry, "Activities").Order());
    }

    [Fact]
    public void Every_name_in_PipelineNames_is_a_registered_orchestrator_or_activity()
    {
        var registry = new DurableTaskRegistry().AddRecordingFunctions();
        var registered = Registered(registry, "Orchestrators").Union(Registered(registry, "Activities")).ToHashSet();
        var names = typeof(PipelineNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.Contains(name, registered));
    }

    [Fact]
    public void The_task_hub_is_the_same_in_host_json_and_the_local_host()
    {
        var hostJson = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")))!;

        Assert.Equal(DurableBackendRegistration.TaskHubName, hostJson["extensions"]?["durableTask"]?["hubName"]?.GetValue<string>());
    }
}
