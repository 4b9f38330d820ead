using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RecordingFunctions.Api;
using RecordingFunctions.Archive;
using RecordingFunctions.Hms;
using RecordingFunctions.Page;
using RecordingFunctions.Pipeline;
using RecordingFunctions.Pipeline.Activities;
using RecordingFunctions.Scheduling;
using RecordingFunctions.Storage;

namespace RecordingFunctions;

public static class ServiceCollectionExtensions
{
    /// <summary>Every orchestration and activity, for a Durable Task worker (the local host and the tests).</summary>
    public static DurableTaskRegistry AddRecordingFunctions(this DurableTaskRegistry registry) =>
        registry.AddRecordingPipeline().AddArchiveSweep();

    /// <summary>Everything the recording pipeline needs, configured the same way in every host.</summary>
    public static IServiceCollection AddRecordingFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHmsClient(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<PipelineOptions>()
            .Bind(configuration.GetSection(PipelineOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PipelineOptions>, PipelineOptionsValidation>();
        services.Configure<RecordingStorageOptions>(configuration.GetSection(RecordingStorageOptions.Section));
        services.Configure<AssetDownloadOptions>(configuration.GetSection(AssetDownloadOptions.Section));

        services.AddSingleton(provider => CreateBlobServiceClient(
            configuration, provider.GetRequiredService<IOptions<RecordingStorageOptions>>().Value));
        services.AddSingleton<RecordingArchive>();
        services.AddHttpClient<AssetDownloader>(AssetDownloader.HttpClientName, http => http.Timeout = TimeSpan.FromMinutes(30));

        services.AddTransient<StartRecordingActivity>();
        services.AddTransient<GetRecordingActivity>();
        services.AddTransient<StopRecordingActivity>();
        services.AddTransient<CopyAssetActivity>();
        services.AddTransient<RenderSummaryActivity>();
        services.AddTransient<WriteManifestActivity>();
        services.AddTransient<RecordOutcomeActivity>();

        services.AddOptions<CalendarOptions>()
            .Bind(configuration.GetSection(CalendarOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CalendarOptions>, CalendarOptionsValidation>();
        services.AddHttpClient(CalendarFeedSource.HttpClientName);
        services.AddSingleton<CalendarFeedSource>();
        services.AddSingleton<CalendarSync>();
        services.AddSingleton<CalendarApi>();

        services.AddSingleton<RecordingsApi>();
        services.AddSingleton<PipelineStore>();
        services.AddSingleton<HmsWebhookReceiver>();
        services.AddRecordingArchive(configuration);
        services.AddRecordingPage(configuration);
        return services;
    }

    private static BlobServiceClient CreateBlobServiceClient(IConfiguration configuration, RecordingStorageOptions options)
    {
        var connectionString = options.ConnectionString ?? configuration["AzureWebJobsStorage"];
        if (!string.IsNullOrEmpty(connectionString)) return new BlobServiceClient(connectionString);

        var serviceUri = options.BlobServiceUri ?? configuration.GetValue<Uri?>("AzureWebJobsStorage:blobServiceUri")
            ?? throw new InvalidOperationException(
                "No storage is configured: set RecordingStorage:ConnectionString, RecordingStorage:BlobServiceUri or AzureWebJobsStorage.");
        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = options.ClientId ?? configuration["AzureWebJobsStorage:clientId"],
        });
        return new BlobServiceClient(serviceUri, credential);
    }

    /// <summary>Names every bad <c>Pipeline</c> setting when the app starts, instead of failing pipelines later.</summary>
    private sealed class PipelineOptionsValidation : IValidateOptions<PipelineOptions>
    {
        public ValidateOptionsResult Validate(string? name, PipelineOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }

    private sealed class CalendarOptionsValidation : IValidateOptions<CalendarOptions>
    {
        public ValidateOptionsResult Validate(string? name, CalendarOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
