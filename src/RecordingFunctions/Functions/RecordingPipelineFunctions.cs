using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using RecordingFunctions.Pipeline;
using RecordingFunctions.Pipeline.Activities;

namespace RecordingFunctions.Functions;

/// <summary>The orchestrator and activity triggers, each delegating to its class in the core library.</summary>
public sealed class RecordingPipelineFunctions(
    StartRecordingActivity startRecording,
    GetRecordingActivity getRecording,
    StopRecordingActivity stopRecording,
    CopyAssetActivity copyAsset,
    RenderSummaryActivity renderSummary,
    WriteManifestActivity writeManifest)
{
    [Function(PipelineNames.Orchestrator)]
    public static Task<PipelineRecord> RunPipeline([OrchestrationTrigger] TaskOrchestrationContext context) =>
        RecordingPipeline.RunAsync(context, context.GetInput<PipelineInput>()!);

    [Function(PipelineNames.StartRecording)]
    public Task<StartedRecording> StartRecording([ActivityTrigger] StartRecordingInput input, FunctionContext context) =>
        startRecording.RunAsync(input, context.CancellationToken);

    [Function(PipelineNames.GetRecording)]
    public Task<RecordingSnapshot> GetRecording([ActivityTrigger] string recordingId, FunctionContext context) =>
        getRecording.RunAsync(recordingId, context.CancellationToken);

    [Function(PipelineNames.StopRecording)]
    public Task<bool> StopRecording([ActivityTrigger] string recordingId, FunctionContext context) =>
        stopRecording.RunAsync(recordingId, context.CancellationToken);

    [Function(PipelineNames.CopyAsset)]
    public Task<CopiedBlob> CopyAsset([ActivityTrigger] CopyAssetInput input, FunctionContext context) =>
        copyAsset.RunAsync(input, context.CancellationToken);

    [Function(PipelineNames.RenderSummary)]
    public Task<CopiedBlob> RenderSummary([ActivityTrigger] RenderSummaryInput input, FunctionContext context) =>
        renderSummary.RunAsync(input, context.CancellationToken);

    [Function(PipelineNames.WriteManifest)]
    public Task<CopiedBlob> WriteManifest([ActivityTrigger] RecordingManifest manifest, FunctionContext context) =>
        writeManifest.RunAsync(manifest, context.CancellationToken);
}
