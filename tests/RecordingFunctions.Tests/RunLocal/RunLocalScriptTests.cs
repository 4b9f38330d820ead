using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using RecordingFunctions.Functions;
using RecordingFunctions.HmsSimulator;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.RunLocal;

/// <summary>The whole stack as a person starts it (it builds and starts Azurite and two .NET hosts), so alone, after the parallel tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunLocalCollection
{
    public const string Name = "run-local";
}

/// <summary>
/// <c>scripts/run-local.sh</c> as a person uses it: <c>--help</c>, and <c>--serve</c> on ports of its own, driven
/// with what it prints, then stopped with SIGTERM.
/// </summary>
[Collection(RunLocalCollection.Name)]
public sealed partial class RunLocalScriptTests
{
    private static readonly string Script = Path.Combine(RepositoryPaths.Root, "scripts", "run-local.sh");

    private static ProcessStartInfo Bash(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
        start.ArgumentList.Add(Script);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }

    [Fact]
    public async Task Help_prints_the_usage_and_exits_0_without_building_or_starting_anything()
    {
        using var process = Process.Start(Bash("--help"))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(0, process.ExitCode);
        Assert.Equal("", await errors);
        var usage = await output;
        Assert.StartsWith("Runs RecordingFunctions on this machine", usage);
        foreach (var word in new[] { "--serve", "--func", "HMS_BASE_URL", "HMS_ACCESS_KEY", "HMS_APP_SECRET", "HMS_MANAGEMENT_TOKEN",
                     "HMS_WEBHOOK_SECRET", "STORAGE_CONNECTION_STRING", "KEYVAULT_URI", "TIME_SCALE", "API_PORT", "SIMULATOR_PORT",
                     "AZURITE_PORTS", "AZURITE_LOCATION", "FUNCTIONS_HOST" })
            Assert.Contains(word, usage);
        Assert.DoesNotContain("==", usage); // no step ran: nothing installed, built or started
        Assert.DoesNotContain("set -euo", usage);
    }

    [Fact]
    public async Task An_unknown_option_is_refused_before_anything_starts()
    {
        using var process = Process.Start(Bash("--serv"))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("unknown option: --serv", await errors);
        Assert.Equal("", await output);
    }

    [Fact]
    public async Task The_demo_records_one_meeting_end_to_end_and_exits_0_having_stopped_everything()
    {
        using var run = new ScriptRun();
        var children = new List<int>();
        while (!run.Process.HasExited)
        {
            children = children.Union(Descendants(run.Process.Id)).ToList();
            await Task.Delay(500);
            Assert.True(DateTime.UtcNow < run.Started.AddMinutes(8), $"the demo did not end:\n{run.Output()}");
        }

        var output = run.Output();
        Assert.True(run.Process.ExitCode == 0, $"exit {run.Process.ExitCode}:\n{output}");
        Assert.Contains("phase: completed", output);
        Assert.Contains("/summary.md", output);
        Assert.Contains($"== the archive page was at http://127.0.0.1:{run.ApiPort}/api/page", output);
        Assert.Contains("== done: everything run-local started has ended", output);
        Assert.DoesNotContain("FAILED", output);
        Assert.True(children.Count >= 3, $"expected Azurite, the simulator and the host under the launcher, saw {children.Count}");
        Assert.DoesNotContain(children, IsAlive);
    }

    [Fact]
    public async Task Serve_lists_every_route_and_the_secrets_it_configured_and_SIGTERM_stops_everything_quietly()
    {
        using var run = new ScriptRun("--serve");
        var process = run.Process;
        var baseUrl = $"http://127.0.0.1:{run.ApiPort}";
        string Output() => run.Output();
        while (!Output().Contains("Ctrl+C stops everything.", StringComparison.Ordinal))
        {
            if (process.HasExited) Assert.Fail($"run-local.sh --serve exited ({process.ExitCode}):\n{Output()}");
            Assert.True(DateTime.UtcNow < run.Started.AddMinutes(6), $"run-local.sh --serve did not get ready:\n{Output()}");
            await Task.Delay(500);
        }
        var printed = Output();

        // Every HTTP trigger, and nothing else, with the method it answers to.
        var triggers = typeof(RecordingsFunctions).Assembly.GetTypes().SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .SelectMany(m => m.GetParameters()).Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>()
            .SelectMany(t => t.Methods!.Select(method => $"{method.ToUpperInvariant()} {baseUrl}/api/{t.Route}"))
            .Order().ToList();
        var listed = RouteLine().Matches(printed).Select(m => $"{m.Groups["method"].Value} {m.Groups["url"].Value}").Order().ToList();
        Assert.True(triggers.Count >= 20, $"found only {triggers.Count} HTTP triggers");
        Assert.Equal(triggers, listed);

        Assert.Contains($"page       {baseUrl}/api/page", printed);
        Assert.Contains("access key 0123456789abcdef01234567, app secret app-secret-of-this-test", printed);
        var webhook = WebhookLine().Match(printed);
        Assert.True(webhook.Success, printed);
        Assert.Equal($"{baseUrl}/api/webhooks/100ms", webhook.Groups["url"].Value);
        Assert.Equal(LocalStack.WebhookHeader, webhook.Groups["header"].Value);
        Assert.Equal("webhook-secret-of-this-test", webhook.Groups["secret"].Value);

        // What it printed is what the app it started accepts.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{baseUrl}/api/page")).StatusCode);
        async Task<HttpStatusCode> PostWebhook(string secret)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Groups["url"].Value) { Content = new StringContent("{}") };
            request.Headers.Add(webhook.Groups["header"].Value, secret);
            return (await http.SendAsync(request)).StatusCode;
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await PostWebhook("not-the-secret"));
        Assert.NotEqual(HttpStatusCode.Unauthorized, await PostWebhook(webhook.Groups["secret"].Value));

        var children = Descendants(process.Id);
        Assert.True(children.Count >= 3, $"expected Azurite, the simulator and the host under the launcher, found {children.Count}");

        Assert.Equal(0, Terminate(process.Id, 15 /* SIGTERM */));
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(stopping.Token);

        var all = Output();
        Assert.True(process.ExitCode is 0 or 130, $"exit {process.ExitCode}:\n{all}");
        Assert.DoesNotContain("FAILED", all);
        Assert.Contains("== stopped", all);
        var left = children.Where(IsAlive).ToList();
        Assert.True(left.Count == 0, $"still running after run-local ended: {string.Join(", ", left)}");
        foreach (var port in run.AllPorts)
            Assert.False(await IsListeningAsync(port), $"port {port} is still open");
    }

    /// <summary>
    /// run-local.sh on free ports (Azurite's too, so it runs beside any other), with its data in a folder of its own
    /// and credentials of its own, collecting what it prints.
    /// </summary>
    private sealed class ScriptRun : IDisposable
    {
        private readonly List<string> lines = [];
        private readonly DirectoryInfo data = Directory.CreateTempSubdirectory("run-local-azurite-");
        private readonly int[] azuritePorts = [Loopback.FreePort(), Loopback.FreePort(), Loopback.FreePort()];

        public ScriptRun(params string[] arguments)
        {
            var start = Bash(arguments);
            start.Environment["API_PORT"] = $"{ApiPort}";
            start.Environment["SIMULATOR_PORT"] = $"{SimulatorPort}";
            start.Environment["AZURITE_PORTS"] = string.Join(',', azuritePorts);
            start.Environment["AZURITE_LOCATION"] = data.FullName;
            start.Environment["HMS_WEBHOOK_SECRET"] = "webhook-secret-of-this-test";
            start.Environment["HMS_ACCESS_KEY"] = "0123456789abcdef01234567";
            start.Environment["HMS_APP_SECRET"] = "app-secret-of-this-test";
            Process = new Process { StartInfo = start };
            Process.OutputDataReceived += (_, line) => Keep(line.Data);
            Process.ErrorDataReceived += (_, line) => Keep(line.Data);
            Process.Start();
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public Process Process { get; }
        public int ApiPort { get; } = Loopback.FreePort();
        public int SimulatorPort { get; } = Loopback.FreePort();
        public IEnumerable<int> AllPorts => azuritePorts.Append(ApiPort).Append(SimulatorPort);
        /// <summary>Generous deadlines count from here: a build, then node and two .NET hosts on a busy machine.</summary>
        public DateTime Started { get; } = DateTime.UtcNow;

        public string Output()
        {
            lock (lines) return string.Join('\n', lines);
        }

        private void Keep(string? line)
        {
            if (line is null) return;
            lock (lines) lines.Add(line);
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.Dispose();
            data.Delete(recursive: true);
        }
    }

    /// <summary>Every process below <paramref name="parent"/>, from <c>/proc</c>.</summary>
    private static List<int> Descendants(int parent)
    {
        var parents = Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(name => name!.All(char.IsDigit))
            .Select(name => (Pid: int.Parse(name!), Parent: ParentOf(int.Parse(name!)))).ToList();
        var found = new List<int>();
        var frontier = new Queue<int>([parent]);
        while (frontier.TryDequeue(out var next))
            foreach (var (pid, _) in parents.Where(p => p.Parent == next))
            {
                found.Add(pid);
                frontier.Enqueue(pid);
            }
        return found;
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]); // "pid (comm) state ppid ..."
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Terminate(int pid, int signal);

    [GeneratedRegex(@"^\s+(?<method>GET|POST|PUT|PATCH|DELETE)\s+(?<url>http://\S+)", RegexOptions.Multiline)]
    private static partial Regex RouteLine();

    [GeneratedRegex(@"^Webhooks: POST (?<url>\S+) with header (?<header>[^:]+): (?<secret>\S+)$", RegexOptions.Multiline)]
    private static partial Regex WebhookLine();
}
