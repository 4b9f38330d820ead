using OpenTelemetry.Trace;

namespace RecordingFunctions.LocalHost;

/// <summary>
/// Runs the Functions app's HTTP API, orchestrator and activities in one process, on the Durable Task engine,
/// with no Azure Functions Core Tools.
/// </summary>
public static class LocalApp
{
    /// <param name="configure">Runs first: configuration and logging.</param>
    /// <param name="overrideServices">Runs after the app's registrations: replacements for tests.</param>
    public static WebApplication Build(
        string[] args, Action<WebApplicationBuilder>? configure = null, Action<IServiceCollection>? overrideServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Defaults of this host, first so that every other source overrides them: the page is open to this machine.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = [new("Page:OpenOnLoopback", "true")],
        });
        builder.Logging.AddFilter("Microsoft.DurableTask", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        builder.Logging.AddFilter("DurableTask", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        configure?.Invoke(builder);

        builder.Services.AddMvcCore();
        builder.Services.AddRecordingFunctions(builder.Configuration);
        builder.Services.AddDurableBackend(builder.Configuration);
        builder.Services.AddRecordingFunctionsTelemetry(builder.Configuration).WithTracing(tracing => tracing.AddAspNetCoreInstrumentation());
        builder.Services.AddHostedService<CalendarSyncLoop>();
        overrideServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseRouting();
        app.UseFunctionsHostRequestRules();
        app.MapRecordingFunctions();
        return app;
    }
}
