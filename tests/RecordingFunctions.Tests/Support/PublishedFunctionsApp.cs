using System.Diagnostics;

namespace RecordingFunctions.Tests.Support;

/// <summary>
/// <c>src/RecordingFunctions</c> published once per test run into <c>.artifacts/functions-app</c>, the folder the
/// Functions host runs. The build the tests themselves run on already holds the app and its WebJobs extensions
/// (<c>.azurefunctions/</c>), so the publish copies that build (<c>--no-build</c>); it builds only when that fails.
/// </summary>
public static class PublishedFunctionsApp
{
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    /// <summary>How long the publish took, once it has run.</summary>
    public static TimeSpan Duration { get; private set; }

    public static Task<string> FolderAsync() => Published.Value;

    private static async Task<string> PublishAsync()
    {
        var output = Path.Combine(RepositoryPaths.Root, ".artifacts", "functions-app");
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        var clock = Stopwatch.StartNew();
        var (code, log) = await DotnetPublishAsync(output, "--no-build");
        if (code != 0) (code, log) = await DotnetPublishAsync(output);
        Duration = clock.Elapsed;
        if (code != 0 || !File.Exists(Path.Combine(output, "worker.config.json")) || !File.Exists(Path.Combine(output, "functions.metadata")))
            throw new InvalidOperationException($"dotnet publish of src/RecordingFunctions failed (exit {code}):\n{log}");
        HostTimings.Record($"publish of src/RecordingFunctions: {Duration.TotalSeconds:0.0} s");
        return output;
    }

    private static async Task<(int Code, string Log)> DotnetPublishAsync(string output, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "publish", Path.Combine(RepositoryPaths.Root, "src", "RecordingFunctions", "RecordingFunctions.csproj"),
                     "-c", RepositoryPaths.Configuration, "-o", output, "-nologo", "-clp:ErrorsOnly" }.Concat(extra))
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}

/// <summary>
/// What the host scenarios measured (publish and start times, the happy path's duration) or why they were skipped,
/// one line each in <c>.artifacts/host-timings.txt</c>, which scripts/test.sh prints.
/// </summary>
public static class HostTimings
{
    private static readonly object Gate = new();

    public static string File { get; } = Path.Combine(RepositoryPaths.Root, ".artifacts", "host-timings.txt");

    public static void Record(string line)
    {
        lock (Gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(File)!);
            System.IO.File.AppendAllText(File, $"{DateTime.UtcNow:HH:mm:ss} {line}{Environment.NewLine}");
        }
    }
}
