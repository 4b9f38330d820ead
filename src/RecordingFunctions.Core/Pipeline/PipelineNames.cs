namespace RecordingFunctions.Pipeline;

/// <summary>The names under which the orchestrator and its activities are registered, in every host.</summary>
public static class PipelineNames
{
    public const string Orchestrator = "RecordingPipeline";
    public const string StartRecording = "StartRecording";
    public const string GetRecording = "GetRecording";
    public const string StopRecording = "StopRecording";
    public const string CopyAsset = "CopyAsset";
    public const string RenderSummary = "RenderSummary";
    public const string WriteManifest = "WriteManifest";
    public const string RecordOutcome = "RecordOutcome";
}
