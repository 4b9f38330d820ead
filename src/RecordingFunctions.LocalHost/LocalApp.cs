namespace RecordingFunctions.LocalHost;

/// <summary>
/// Runs the Functions app's HTTP API, orchestrator and activities in one process, on the Durable Task engine,
/// with no Azure Functions Core Tools.
/// </summary>
public static class LocalApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.AddFilter("Microsoft.DurableTask", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        builder.Logging.AddFilter("DurableTask", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        configure?.Invoke(builder);

        builder.Services.AddMvcCore();
        builder.Services.AddRecordingFunctions(builder.Configuration);
        builder.Services.AddDurableBackend(builder.Configuration);

        var app = builder.Build();
        app.MapRecordingFunctions();
        return app;
    }
}
