using System.Net;
using System.Net.Sockets;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;

namespace RecordingFunctions.LocalHost;

/// <summary>Where the local host keeps Durable state. Configuration key <c>LocalHost:Durable</c>.</summary>
public enum DurableBackend
{
    /// <summary>Tables, queues and blobs in Azure Storage (Azurite locally), as under the Functions host: survives restarts.</summary>
    AzureStorage,

    /// <summary>In memory, gone when the process stops: for tests.</summary>
    InMemory,
}

public static class DurableBackendRegistration
{
    /// <summary>The task hub the Functions app uses too (host.json <c>extensions.durableTask.hubName</c>).</summary>
    public const string TaskHubName = "RecordingFunctions";

    public static void AddDurableBackend(this IServiceCollection services, IConfiguration configuration)
    {
        var backend = configuration.GetValue("LocalHost:Durable", DurableBackend.AzureStorage);
        if (backend == DurableBackend.InMemory)
        {
            services.AddInMemoryDurableTask(tasks => tasks.AddRecordingFunctions(), new InMemoryDurableTaskOptions { Port = FreeLoopbackPort() });
            return;
        }

        // The standard Durable Task worker and client talk gRPC to a sidecar that runs the Azure Storage provider.
        var address = $"http://127.0.0.1:{FreeLoopbackPort()}";
        var connectionString = configuration["AzureWebJobsStorage"]
            ?? throw new InvalidOperationException("AzureWebJobsStorage must be set for the AzureStorage durable backend.");
        services.AddSingleton(provider => new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = configuration["LocalHost:TaskHub"] ?? TaskHubName,
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            LoggerFactory = provider.GetRequiredService<ILoggerFactory>(),
            WorkerId = configuration["LocalHost:WorkerId"] ?? Environment.MachineName,
            // Local runs want short waits between polls of an idle queue, and a restarted host to pick up
            // quickly what a killed one was doing (its leases and in-flight messages time out sooner).
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
            LeaseInterval = configuration.GetValue("LocalHost:LeaseInterval", TimeSpan.FromSeconds(15)),
            LeaseRenewInterval = configuration.GetValue("LocalHost:LeaseRenewInterval", TimeSpan.FromSeconds(5)),
            ControlQueueVisibilityTimeout = configuration.GetValue("LocalHost:VisibilityTimeout", TimeSpan.FromSeconds(30)),
            WorkItemQueueVisibilityTimeout = configuration.GetValue("LocalHost:VisibilityTimeout", TimeSpan.FromSeconds(30)),
        }));
        services.AddHostedService(provider => new GrpcSidecarHost(
            address, provider.GetRequiredService<AzureStorageOrchestrationService>(), provider.GetRequiredService<ILoggerFactory>()));
        services.AddDurableTaskWorker(builder =>
        {
            builder.UseGrpc(address);
            builder.AddTasks(tasks => tasks.AddRecordingFunctions());
        });
        services.AddDurableTaskClient(builder =>
        {
            builder.UseGrpc(address);
            builder.RegisterDirectly();
        });
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Serves a Durable Task orchestration service over gRPC on loopback, inside this process.</summary>
    private sealed class GrpcSidecarHost(string address, AzureStorageOrchestrationService service, ILoggerFactory loggerFactory)
        : IHostedService, IAsyncDisposable
    {
        private WebApplication? sidecar;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await service.CreateIfNotExistsAsync();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton(loggerFactory);
            builder.WebHost.UseUrls(address);
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
            builder.Services.AddGrpc();
            builder.Services.AddSingleton<IOrchestrationService>(service);
            builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
            builder.Services.AddSingleton<TaskHubGrpcServer>();
            sidecar = builder.Build();
            sidecar.MapGrpcService<TaskHubGrpcServer>();
            await sidecar.StartAsync(cancellationToken);
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            if (sidecar is not null) await sidecar.StopAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            if (sidecar is not null) await sidecar.DisposeAsync();
        }
    }
}
