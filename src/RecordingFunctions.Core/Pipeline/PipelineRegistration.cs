using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using RecordingFunctions.Pipeline.Activities;
using RecordingFunctions.Storage;

namespace RecordingFunctions.Pipeline;

/// <summary>
/// Registers the orchestrator and activities with a Durable Task worker (the local host and the tests).
/// The Functions app registers the same classes through its triggers instead.
/// </summary>
public static class PipelineRegistration
{
    public static DurableTaskRegistry AddRecordingPipeline(this DurableTaskRegistry registry)
    {
        registry.AddOrchestratorFunc<PipelineInput, PipelineRecord>(PipelineNames.Orchestrator, RecordingPipeline.RunAsync);
        registry.AddActivity<StartRecordingActivity, StartRecordingInput, StartedRecording>(PipelineNames.StartRecording, (a, i, ct) => a.RunAsync(i, ct));
        registry.AddActivity<GetRecordingActivity, string, RecordingSnapshot>(PipelineNames.GetRecording, (a, i, ct) => a.RunAsync(i, ct));
        registry.AddActivity<StopRecordingActivity, string, bool>(PipelineNames.StopRecording, (a, i, ct) => a.RunAsync(i, ct));
        registry.AddActivity<CopyAssetActivity, CopyAssetInput, CopiedBlob>(PipelineNames.CopyAsset, (a, i, ct) => a.RunAsync(i, ct));
        registry.AddActivity<RenderSummaryActivity, RenderSummaryInput, CopiedBlob>(PipelineNames.RenderSummary, (a, i, ct) => a.RunAsync(i, ct));
        registry.AddActivity<WriteManifestActivity, RecordingManifest, CopiedBlob>(PipelineNames.WriteManifest, (a, i, ct) => a.RunAsync(i, ct));
        registry.AddActivity<RecordOutcomeActivity, PipelineOutcome, bool>(PipelineNames.RecordOutcome, (a, i, ct) => a.RunAsync(i, ct));
        return registry;
    }

    private static void AddActivity<TActivity, TInput, TOutput>(
        this DurableTaskRegistry registry, string name, Func<TActivity, TInput, CancellationToken, Task<TOutput>> run)
        where TActivity : notnull =>
        registry.AddServiceActivity<TInput, TOutput>(name,
            (services, input) => run(services.GetRequiredService<TActivity>(), input, CancellationToken.None));

    /// <summary>An activity that runs code over the worker's services, adapted like every other activity.</summary>
    internal static DurableTaskRegistry AddServiceActivity<TInput, TOutput>(
        this DurableTaskRegistry registry, string name, Func<IServiceProvider, TInput, Task<TOutput>> run) =>
        registry.AddActivity(name, services => new ServiceActivity<TInput, TOutput>(input => run(services, input)));

    /// <summary>Adapts an activity class resolved from the container to the Durable Task worker, as <see cref="ActivityRun"/> runs it.</summary>
    private sealed class ServiceActivity<TInput, TOutput>(Func<TInput, Task<TOutput>> run) : TaskActivity<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) =>
            ActivityRun.RunAsync(context.Name.Name, context.InstanceId, input, () => run(input));
    }
}
