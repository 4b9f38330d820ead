namespace RecordingFunctions.HmsSimulator;

/// <summary>
/// How this machine runs the real Azure Functions host: Core Tools' <c>func start</c> when <c>func</c> is on PATH,
/// else the shared launcher (<c>FUNCTIONS_HOST</c>, or <c>../shared/tools/functions-host/func-host</c> beside the
/// repository). <see cref="Find"/> says why there is none. Shared by the tests' host fixture and run-local's --func.
/// </summary>
public sealed record FunctionsHostCommand(FunctionsHostKind Kind, string Executable)
{
    public const string Variable = "FUNCTIONS_HOST";

    /// <param name="repositoryRoot">The repository's folder: the shared launcher is looked for beside it.</param>
    public static FunctionsHostCommand? Find(string repositoryRoot, out string whyNot)
    {
        whyNot = "";
        var func = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, OperatingSystem.IsWindows() ? "func.cmd" : "func"))
            .FirstOrDefault(File.Exists);
        if (func is not null) return new FunctionsHostCommand(FunctionsHostKind.CoreTools, func);

        var configured = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(configured))
        {
            var launcher = Directory.Exists(configured) ? Path.Combine(configured, "func-host") : configured;
            if (File.Exists(launcher)) return new FunctionsHostCommand(FunctionsHostKind.Launcher, Path.GetFullPath(launcher));
            whyNot = $"{Variable}={configured} is not the func-host launcher (or its folder)";
            return null;
        }

        var shared = Path.GetFullPath(Path.Combine(repositoryRoot, "..", "shared", "tools", "functions-host", "func-host"));
        if (File.Exists(shared)) return new FunctionsHostCommand(FunctionsHostKind.Launcher, shared);
        whyNot = $"no Functions host: `func` (Core Tools v4) is not on PATH, {Variable} is not set, and {shared} does not exist";
        return null;
    }
}

public enum FunctionsHostKind
{
    /// <summary>Azure Functions Core Tools: <c>func start</c> in the published app's folder.</summary>
    CoreTools,

    /// <summary>The shared build of the host runtime: <c>func-host --app &lt;dir&gt; ...</c>.</summary>
    Launcher,
}
