using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecordingFunctions.Api;
using RecordingFunctions.Pipeline;

namespace RecordingFunctions.Archive;

public static class ArchiveRegistration
{
    public static IServiceCollection AddRecordingArchive(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ArchiveOptions>().Bind(configuration.GetSection(ArchiveOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ArchiveOptions>, ArchiveOptionsValidation>();
        services.AddSingleton<RecordingArchiver>();
        services.AddTransient<ListRecordingsPageActivity>();
        services.AddTransient<ArchiveRecordingsPageActivity>();
        services.AddSingleton<ArchiveApi>();
        return services;
    }

    /// <summary>The sweep orchestration and its activities, for a Durable Task worker (the local host and the tests).</summary>
    public static DurableTaskRegistry AddArchiveSweep(this DurableTaskRegistry registry)
    {
        registry.AddOrchestratorFunc<SweepRequest, SweepReport>(ArchiveSweep.Orchestrator, ArchiveSweep.RunAsync);
        registry.AddServiceActivity<SweepPageRequest, SweepPage>(ArchiveSweep.ListPage,
            (services, input) => services.GetRequiredService<ListRecordingsPageActivity>().RunAsync(input, CancellationToken.None));
        registry.AddServiceActivity<List<SweepItem>, List<SweepOutcome>>(ArchiveSweep.ArchivePage,
            (services, input) => services.GetRequiredService<ArchiveRecordingsPageActivity>().RunAsync(
                input, services.GetRequiredService<DurableTaskClient>(), CancellationToken.None));
        return registry;
    }

    private sealed class ArchiveOptionsValidation : IValidateOptions<ArchiveOptions>
    {
        public ValidateOptionsResult Validate(string? name, ArchiveOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
