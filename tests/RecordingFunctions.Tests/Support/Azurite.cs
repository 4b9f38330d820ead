using System.Diagnostics;
using RecordingFunctions.HmsSimulator;

namespace RecordingFunctions.Tests.Support;

/// <summary>
/// A real Azurite (the npm package installed by scripts/test.sh) on loopback ports of its own.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    private readonly Process process;

    private Azurite(Process process, int blobPort, int queuePort, int tablePort)
    {
        this.process = process;
        Ports = (blobPort, queuePort, tablePort);
        ConnectionString = LocalStack.AzuriteConnectionString(Ports);
    }

    public string ConnectionString { get; }

    public (int Blob, int Queue, int Table) Ports { get; }

    /// <param name="location">A folder to keep the data in, or null to keep it in memory.</param>
    public static async Task<Azurite> StartAsync(string? location = null)
    {
        var executable = Path.Combine(RepositoryPaths.Root, "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
            throw new InvalidOperationException("Azurite is not installed: run `npm ci` in the repository root (scripts/test.sh does).");

        int blobPort = Loopback.FreePort(), queuePort = Loopback.FreePort(), tablePort = Loopback.FreePort();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--blobPort", blobPort.ToString(),
            "--queueHost", "127.0.0.1", "--queuePort", queuePort.ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", tablePort.ToString(),
        }) start.ArgumentList.Add(arg);
        if (location is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(location);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new Azurite(process, blobPort, queuePort, tablePort);
        await azurite.WaitUntilListeningAsync(blobPort, queuePort, tablePort);
        return azurite;
    }

    private async Task WaitUntilListeningAsync(params int[] ports)
    {
        foreach (var port in ports) await Loopback.WaitForPortAsync(port, () => process.HasExited, TimeSpan.FromSeconds(180)); // node starts slowly on a busy machine
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}

/// <summary>One Azurite for every test class in the collection.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public Azurite Azurite { get; private set; } = null!;
    public string ConnectionString => Azurite.ConnectionString;

    public async Task InitializeAsync() => Azurite = await Azurite.StartAsync();

    public async Task DisposeAsync() => await Azurite.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
