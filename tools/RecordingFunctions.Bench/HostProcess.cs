using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecordingFunctions.Bench;

/// <summary>
/// The app under one host as a child process, reached over HTTP only, as the test suite's host fixtures launch it
/// (<c>tests/RecordingFunctions.Tests/Hosts/</c>): the local host's dll, or the published Functions app under the
/// real Azure Functions host (the shared <c>func-host</c> launcher). Its log goes to <c>.artifacts/bench/hosts/</c>.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;
    private int executions;

    private HostProcess(string name, Process process, int port, string logPath)
    {
        Name = name;
        this.process = process;
        Port = port;
        log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }
    public int Port { get; }
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");
    public string FunctionKey { get; private set; } = "";
    public int ProcessId => process.Id;

    /// <summary>Function executions the host logged (<c>Executed 'Functions.…'</c>); the local host logs none.</summary>
    public int Executions => Volatile.Read(ref executions);

    public HttpClient Api() => new() { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(60), DefaultRequestHeaders = { { "x-functions-key", FunctionKey } } };

    /// <summary>The local host (<c>src/RecordingFunctions.LocalHost</c>, built in Release) with its Durable state in storage.</summary>
    public static async Task<HostProcess> StartLocalAsync(string root, int port, IDictionary<string, string?> settings)
    {
        var key = Guid.NewGuid().ToString("N");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(root, "src", "RecordingFunctions.LocalHost", "bin", "Release", "net10.0", "RecordingFunctions.LocalHost.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (name, value) in settings) start.Environment[name.Replace(":", "__")] = value;
        start.Environment["LocalHost__Durable"] = "AzureStorage";
        start.Environment["LocalHost__FunctionKey"] = key;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var host = new HostProcess("local host", Process.Start(start)!, port, LogPath(root, "local-host", port)) { FunctionKey = key };
        await host.WaitForOkAsync(TimeSpan.FromMinutes(3));
        return host;
    }

    /// <summary>The published app under the Functions host launcher; keys are the host's own file secrets.</summary>
    /// <param name="queuePollingInterval">Durable's <c>maxQueuePollingInterval</c>; null keeps the extension's default (30 s).</param>
    public static async Task<HostProcess> StartFunctionsHostAsync(
        string root, int port, string launcher, string app, IDictionary<string, string?> settings, TimeSpan? queuePollingInterval)
    {
        var state = Path.Combine(root, ".artifacts", "bench", $"functions-host-{port}");
        var secrets = Path.Combine(state, "secrets");
        Directory.CreateDirectory(secrets);
        var values = new JsonObject();
        foreach (var (name, value) in settings) values[name.Replace(":", "__")] = value;
        values["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        values["AzureWebJobsSecretStorageType"] = "files";
        values["FUNCTIONS_SECRETS_PATH"] = secrets;
        if (queuePollingInterval is { } interval)
            values["AzureFunctionsJobHost__extensions__durableTask__storageProvider__maxQueuePollingInterval"] = interval.ToString("c", CultureInfo.InvariantCulture);
        var settingsFile = Path.Combine(state, "local.settings.json");
        await File.WriteAllTextAsync(settingsFile, new JsonObject { ["IsEncrypted"] = false, ["Values"] = values }.ToJsonString());

        var start = new ProcessStartInfo(launcher) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--app", app, "--port", port.ToString(CultureInfo.InvariantCulture), "--settings", settingsFile, "--secrets", secrets, "--logs", Path.Combine(state, "logs") })
            start.ArgumentList.Add(arg);
        var host = new HostProcess("Functions host", Process.Start(start)!, port, LogPath(root, "functions-host", port));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var hostJson = Path.Combine(secrets, "host.json");
        using var client = new HttpClient { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        while (host.FunctionKey.Length == 0)
        {
            host.EnsureRunning();
            timeout.Token.ThrowIfCancellationRequested();
            try
            {
                // Unauthenticated, this makes the host create its keys.
                using var _ = await client.GetAsync("admin/host/status", timeout.Token);
                if (File.Exists(hostJson))
                {
                    var keys = JsonNode.Parse(await File.ReadAllTextAsync(hostJson, timeout.Token))!;
                    host.FunctionKey = keys["functionKeys"]!.AsArray().Single(k => k!["name"]!.GetValue<string>() == "default")!["value"]!.GetValue<string>();
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or JsonException or NullReferenceException or InvalidOperationException)
            {
                // not listening yet, or the keys are being written
            }
            await Task.Delay(250, timeout.Token);
        }
        await host.WaitForOkAsync(TimeSpan.FromMinutes(3));
        return host;
    }

    private async Task WaitForOkAsync(TimeSpan within)
    {
        using var client = Api();
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            EnsureRunning();
            try
            {
                using var response = await client.GetAsync("api/recordings?page_size=1");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The {Name} did not answer within {within}.");
            await Task.Delay(250);
        }
    }

    private void EnsureRunning()
    {
        if (process.HasExited) throw new InvalidOperationException($"The {Name} exited with code {process.ExitCode}.");
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        if (line.Contains("Executed 'Functions.", StringComparison.Ordinal)) Interlocked.Increment(ref executions);
        lock (log) log.WriteLine(line);
    }

    private static string LogPath(string root, string name, int port)
    {
        var folder = Path.Combine(root, ".artifacts", "bench", "hosts");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"{name}-{port}.log");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        process.Dispose();
        lock (log) log.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// CPU time and resident memory of a process and all of its descendants (the Functions host runs the worker as a
/// child), read from <c>/proc</c>.
/// </summary>
public static class ProcessTree
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public static double CpuSeconds(int root) => Members(root).Sum(stat => (double)(stat.UserTicks + stat.SystemTicks)) / TicksPerSecond;

    public static long ResidentBytes(int root) => Members(root).Sum(stat => stat.ResidentPages) * Environment.SystemPageSize;

    private static List<Stat> Members(int root)
    {
        var all = new List<Stat>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var text = File.ReadAllText(Path.Combine(dir, "stat"));
                // The command name is in parentheses and may hold spaces: fields start after the last ')'.
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                all.Add(new Stat(pid, int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[11], CultureInfo.InvariantCulture),
                    long.Parse(fields[12], CultureInfo.InvariantCulture), long.Parse(fields[21], CultureInfo.InvariantCulture)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // exited meanwhile
            }
        }
        var members = new HashSet<int> { root };
        bool added;
        do
        {
            added = false;
            foreach (var stat in all)
                if (!members.Contains(stat.Pid) && members.Contains(stat.Parent)) added |= members.Add(stat.Pid);
        } while (added);
        return all.Where(stat => members.Contains(stat.Pid)).ToList();
    }

    private sealed record Stat(int Pid, int Parent, long UserTicks, long SystemTicks, long ResidentPages);

    /// <summary>Samples the tree's resident memory every 200 ms; the peak is what the run needed.</summary>
    public sealed class MemoryPeak
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task<long> sampling;

        public MemoryPeak(int root) => sampling = Task.Run(async () =>
        {
            long peak = 0;
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, ResidentBytes(root));
                try { await Task.Delay(200, stop.Token); } catch (OperationCanceledException) { }
            }
            return peak;
        });

        public async Task<long> StopAsync()
        {
            stop.Cancel();
            return await sampling;
        }
    }
}
