using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace RecordingFunctions.RunLocal;

/// <summary>
/// The processes this launcher starts, each logging to <c>&lt;logs&gt;/&lt;name&gt;.log</c>; disposing stops them all,
/// newest first.
/// </summary>
public sealed class ChildProcesses(string logs) : IAsyncDisposable
{
    private readonly List<Child> started = [];

    public Child Start(string name, string file, IEnumerable<string> arguments, IEnumerable<KeyValuePair<string, string?>> environment,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var child = new Child(name, Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start"),
            Path.Combine(logs, name + ".log"));
        started.Add(child);
        return child;
    }

    /// <summary>The first child to exit.</summary>
    public async Task<Child> AnyExitedAsync()
    {
        var exits = started.ToDictionary(c => c.Process.WaitForExitAsync(), c => c);
        return exits[await Task.WhenAny(exits.Keys)];
    }

    public async ValueTask DisposeAsync()
    {
        started.Reverse();
        foreach (var child in started) await child.StopAsync();
        started.Clear();
    }

    public sealed class Child
    {
        private readonly StreamWriter log;
        private readonly List<string> lines = [];

        internal Child(string name, Process process, string logFile)
        {
            Name = name;
            Process = process;
            LogFile = logFile;
            log = new StreamWriter(logFile) { AutoFlush = true };
            process.OutputDataReceived += (_, line) => Keep(line.Data);
            process.ErrorDataReceived += (_, line) => Keep(line.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Name { get; }
        public Process Process { get; }
        public string LogFile { get; }

        public async Task WaitForPortAsync(int port, CancellationToken cancellationToken)
        {
            await WaitUntilAsync(async () =>
            {
                using var client = new TcpClient();
                try
                {
                    await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            }, $"open port {port}", cancellationToken);
        }

        public Task WaitForLineAsync(string start, CancellationToken cancellationToken) =>
            WaitUntilAsync(() =>
            {
                lock (lines) return Task.FromResult(lines.Any(l => l.StartsWith(start, StringComparison.Ordinal)));
            }, $"print \"{start}\"", cancellationToken);

        // Generous: node and the Functions host start slowly on a busy two-core machine.
        private async Task WaitUntilAsync(Func<Task<bool>> ready, string what, CancellationToken cancellationToken)
        {
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (!await ready())
            {
                if (Process.HasExited) throw new InvalidOperationException($"{Name} exited (code {Process.ExitCode}); see {LogFile}");
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Name} did not {what} in 3 minutes; see {LogFile}");
                await Task.Delay(250, cancellationToken);
            }
        }

        private void Keep(string? line)
        {
            if (line is null) return;
            lock (lines)
            {
                lines.Add(line);
                log.WriteLine(line);
            }
        }

        /// <summary>Asks the process to stop (SIGTERM, so Azurite keeps its data and the hosts shut down), then kills what is left.</summary>
        internal async Task StopAsync()
        {
            if (!OperatingSystem.IsWindows() && !Process.HasExited)
            {
                _ = Terminate(Process.Id, 15 /* SIGTERM */);
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await Process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    // still running: killed below
                }
            }
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(TimeSpan.FromSeconds(10));
            }
            lock (lines) log.Dispose();
            Process.Dispose();
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Terminate(int pid, int signal);
}
