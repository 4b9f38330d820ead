using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using RecordingFunctions.Pipeline;
using RecordingFunctions.Pipeline.Activities;
using RecordingFunctions.Storage;

namespace RecordingFunctions.Functions;

/// <summary>The orchestrator and activity triggers, each delegating to its class in the core library.</summary>
public sealed class RecordingPipelineFunctions(
    StartRecordingActivity startRecording,
    GetRecordingActivity getRecording,
    StopRecordingActivity stopRecording,
    CopyAssetActivity copyAsset,
    RenderSummaryActivity renderSummary,
    WriteManifestActivity writeManifest,
    RecordOutcomeActivity recordOutcome)
{
    [Function(PipelineNames.Orchestrator)]
    public static Task<PipelineRecord> RunPipeline([OrchestrationTrigger] TaskOrchestrationContext context) =>
        RecordingPipeline.RunAsync(context, context.GetInput<PipelineInput>()!);

    [Function(PipelineNames.StartRecording)]
    public Task<StartedRecording> StartRecording([ActivityTrigger] StartRecordingInput input, FunctionContext context) =>
        Traced(PipelineNames.StartRecording, context, input, () => startRecording.RunAsync(input, context.CancellationToken));

    [Function(PipelineNames.GetRecording)]
    public Task<RecordingSnapshot> GetRecording([ActivityTrigger] string recordingId, FunctionContext context) =>
        Traced(PipelineNames.GetRecording, context, recordingId, () => getRecording.RunAsync(recordingId, context.CancellationToken));

    [Function(PipelineNames.StopRecording)]
    public Task<bool> StopRecording([ActivityTrigger] string recordingId, FunctionContext context) =>
        Traced(PipelineNames.StopRecording, context, recordingId, () => stopRecording.RunAsync(recordingId, context.CancellationToken));

    [Function(PipelineNames.CopyAsset)]
    public Task<CopiedBlob> CopyAsset([ActivityTrigger] CopyAssetInput input, FunctionContext context) =>
        Traced(PipelineNames.CopyAsset, context, input, () => copyAsset.RunAsync(input, context.CancellationToken));

    [Function(PipelineNames.RenderSummary)]
    public Task<CopiedBlob> RenderSummary([ActivityTrigger] RenderSummaryInput input, FunctionContext context) =>
        Traced(PipelineNames.RenderSummary, context, input, () => renderSummary.RunAsync(input, context.CancellationToken));

    [Function(PipelineNames.WriteManifest)]
    public Task<CopiedBlob> WriteManifest([ActivityTrigger] RecordingManifest manifest, FunctionContext context) =>
        Traced(PipelineNames.WriteManifest, context, manifest, () => writeManifest.RunAsync(manifest, context.CancellationToken));

    [Function(PipelineNames.RecordOutcome)]
    public Task<bool> RecordOutcome([ActivityTrigger] PipelineOutcome outcome, FunctionContext context) =>
        Traced(PipelineNames.RecordOutcome, context, outcome, () => recordOutcome.RunAsync(outcome, context.CancellationToken));

    /// <summary>Runs an activity as every host does (the trigger's binding data carries the instance id).</summary>
    private static Task<T> Traced<T>(string name, FunctionContext context, object input, Func<Task<T>> run) =>
        ActivityRun.RunAsync(name, context.BindingContext.BindingData.TryGetValue("instanceId", out var id) ? id as string : null, input, run);
}
