namespace RecordingFunctions.Tests.Support;

/// <summary>
/// How this machine runs the real Azure Functions host: Core Tools' <c>func start</c> when <c>func</c> is on PATH,
/// else the shared launcher (<c>FUNCTIONS_HOST</c>, or <c>../shared/tools/functions-host/func-host</c> beside the
/// repository). <see cref="Find"/> says why there is none.
/// </summary>
public sealed record FunctionsHostCommand(FunctionsHostKind Kind, string Executable)
{
    public const string Variable = "FUNCTIONS_HOST";

    private static readonly Lazy<(FunctionsHostCommand? Command, string WhyNot)> Found = new(Locate);

    /// <summary>Under CI a missing host fails the tests that need it instead of skipping them.</summary>
    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static FunctionsHostCommand? Find(out string whyNot)
    {
        (var command, whyNot) = Found.Value;
        return command;
    }

    private static (FunctionsHostCommand?, string) Locate()
    {
        var func = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, OperatingSystem.IsWindows() ? "func.cmd" : "func"))
            .FirstOrDefault(File.Exists);
        if (func is not null) return (new FunctionsHostCommand(FunctionsHostKind.CoreTools, func), "");

        var configured = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(configured))
        {
            var launcher = Directory.Exists(configured) ? Path.Combine(configured, "func-host") : configured;
            return File.Exists(launcher)
                ? (new FunctionsHostCommand(FunctionsHostKind.Launcher, Path.GetFullPath(launcher)), "")
                : (null, $"{Variable}={configured} is not the func-host launcher (or its folder)");
        }

        var shared = Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "tools", "functions-host", "func-host"));
        return File.Exists(shared)
            ? (new FunctionsHostCommand(FunctionsHostKind.Launcher, shared), "")
            : (null, $"no Functions host: `func` (Core Tools v4) is not on PATH, {Variable} is not set, and {shared} does not exist");
    }
}

public enum FunctionsHostKind
{
    /// <summary>Azure Functions Core Tools: <c>func start</c> in the published app's folder.</summary>
    CoreTools,

    /// <summary>The shared build of the host runtime: <c>func-host --app &lt;dir&gt; ...</c>.</summary>
    Launcher,
}
