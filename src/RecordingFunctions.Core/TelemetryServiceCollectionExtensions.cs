using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RecordingFunctions.Pipeline;
using RecordingFunctions.Telemetry;

namespace RecordingFunctions;

public static class TelemetryServiceCollectionExtensions
{
    public const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string ApplicationInsightsAuthenticationString = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// OpenTelemetry for the app's spans, metrics and logs, the 100ms and download HTTP calls and Durable's spans. Exports to
    /// Application Insights when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (with Microsoft Entra authentication when
    /// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> says so), and over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
    /// set; with neither, nothing leaves the process.
    /// </summary>
    public static OpenTelemetryBuilder AddRecordingFunctionsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var builder = services.AddOpenTelemetry()
            .WithTracing(tracing => tracing
                .AddSource(RecordingFunctionsTelemetry.Name, "Microsoft.DurableTask")
                .AddHttpClientInstrumentation()
                .AddProcessor(new PipelineSpanProcessor()))
            .WithMetrics(metrics => metrics.AddMeter(RecordingFunctionsTelemetry.Name))
            .WithLogging();

        var connectionString = configuration[ApplicationInsightsConnectionString];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            var credential = CredentialFor(configuration[ApplicationInsightsAuthenticationString]);
            builder.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                options.Credential = credential;
            });
        }
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpoint]))
        {
            builder.WithTracing(tracing => tracing.AddOtlpExporter())
                .WithMetrics(metrics => metrics.AddOtlpExporter())
                .WithLogging(logging => logging.AddOtlpExporter());
        }
        return builder;
    }

    /// <summary>
    /// The credential Application Insights' <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> asks for:
    /// <c>Authorization=AAD</c> with an optional <c>ClientId=</c> of a user-assigned identity; null for instrumentation-key auth.
    /// </summary>
    public static TokenCredential? CredentialFor(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString)) return null;
        var parts = authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var authorization) || !string.Equals(authorization, "AAD", StringComparison.OrdinalIgnoreCase))
            return null;
        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
