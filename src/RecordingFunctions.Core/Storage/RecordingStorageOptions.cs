namespace RecordingFunctions.Storage;

/// <summary>
/// Where transcripts and summaries are archived. Configuration section <c>RecordingStorage</c>; by default the
/// Functions host's own storage account (<c>AzureWebJobsStorage</c>) is used.
/// </summary>
public sealed class RecordingStorageOptions
{
    public const string Section = "RecordingStorage";

    public string Container { get; set; } = "recordings";

    /// <summary>A connection string (local runs, Azurite). Falls back to <c>AzureWebJobsStorage</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The blob endpoint, used with a managed identity. Falls back to <c>AzureWebJobsStorage__blobServiceUri</c>.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>Client id of the user-assigned identity. Falls back to <c>AzureWebJobsStorage__clientId</c>.</summary>
    public string? ClientId { get; set; }
}
