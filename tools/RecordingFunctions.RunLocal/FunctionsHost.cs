namespace RecordingFunctions.RunLocal;

/// <summary>
/// How --func runs the app under the real Functions host: Core Tools' <c>func start</c> when <c>func</c> is on PATH,
/// else the shared launcher (<c>FUNCTIONS_HOST</c>, or <c>../shared/tools/functions-host/func-host</c> beside the
/// repository).
/// </summary>
public static class FunctionsHost
{
    public static string? CoreTools() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, OperatingSystem.IsWindows() ? "func.cmd" : "func"))
            .FirstOrDefault(File.Exists);

    /// <summary>The func-host launcher, or why there is none.</summary>
    public static string SharedLauncher(string root, out string? whyNot)
    {
        var configured = Environment.GetEnvironmentVariable("FUNCTIONS_HOST") is { Length: > 0 } value
            ? value
            : Path.GetFullPath(Path.Combine(root, "..", "shared", "tools", "functions-host"));
        var launcher = Directory.Exists(configured) ? Path.Combine(configured, "func-host") : configured;
        whyNot = File.Exists(launcher) ? null
            : $"--func needs Azure Functions Core Tools (func) on PATH, or the shared host: {launcher} is missing (set FUNCTIONS_HOST)";
        return launcher;
    }

    /// <summary>Settings only the Functions host reads: the timers' schedules, and Durable polling fit for a demo.</summary>
    public static IDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["CalendarSyncSchedule"] = "0 */5 * * * *",
        ["ArchiveSweepSchedule"] = "0 30 3 * * *",
        // The Durable extension backs off to 30 s between polls of an idle queue by default.
        ["AzureFunctionsJobHost:extensions:durableTask:storageProvider:maxQueuePollingInterval"] = "00:00:01",
    };
}
