// Benchmarks for RecordingFunctions: they print figures, they assert nothing. scripts/bench.sh runs `all`.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RecordingFunctions.Bench;

var options = args.Skip(1).Select((arg, i) => (arg, i)).Where(p => p.arg.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(p => p.arg[2..], p => p.i + 2 < args.Length ? args[p.i + 2] : "");
string Option(string name, string fallback) => options.TryGetValue(name, out var value) && value.Length > 0 ? value : fallback;
var storage = Option("storage", "UseDevelopmentStorage=true");

switch (args.FirstOrDefault())
{
    case "copy":
        var result = await CopyBenchmark.RunAsync(storage, long.Parse(Option("bytes", "67108864"), CultureInfo.InvariantCulture), Option("mode", "activity") == "baseline");
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    case "webhook-load":
        await WebhookBenchmark.LoadAsync(new Uri(Option("url", "")), Option("secret", ""), Option("rooms", "").Split(','),
            int.Parse(Option("seconds", "10"), CultureInfo.InvariantCulture), int.Parse(Option("concurrency", "32"), CultureInfo.InvariantCulture));
        return 0;
    case "all":
    case "webhook":
        break;
    default:
        Console.Error.WriteLine("usage: bench all|webhook [--storage CONN] [--pipelines 200] [--copy-mib 64,1024] [--webhook-seconds 10] [--concurrency 32] [--engines InMemory,AzureStorage] [--out docs/benchmarks.md]");
        return 2;
}

var report = new StringBuilder();
void Line(string text = "")
{
    Console.WriteLine(text);
    report.AppendLine(text);
}

Line("## 1. Webhook ingestion");
Line();
var webhookSeconds = int.Parse(Option("webhook-seconds", "10"), CultureInfo.InvariantCulture);
var concurrency = int.Parse(Option("concurrency", "32"), CultureInfo.InvariantCulture);
Line($"{webhookSeconds} s per engine, {concurrency} concurrent connections from a separate process, half of them with a wrong secret; 20 pipelines waiting in `recording`.");
Line();
Line("| engine | requests | sent | answered as expected | events delivered to pipelines | requests/s | p50 ms | p95 ms | p99 ms |");
Line("|---|---|---:|---:|---:|---:|---:|---:|---:|");
foreach (var engine in Option("engines", "InMemory,AzureStorage").Split(','))
{
    foreach (var w in await WebhookBenchmark.RunAsync(storage, engine, pipelines: 20, webhookSeconds, concurrency))
        Line($"| {(engine == "InMemory" ? "in-memory" : "Azure Storage (Azurite)")} | {w.Kind} | {w.Sent:N0} | {w.Ok:N0} | {(w.Kind.StartsWith("routed", StringComparison.Ordinal) ? w.Delivered.ToString("N0", CultureInfo.InvariantCulture) : "–")} | {w.RequestsPerSecond:N0} | {w.P50:N1} | {w.P95:N1} | {w.P99:N1} |");
}
Line();
// `webhook` measures ingestion alone and prints it; it never rewrites docs/benchmarks.md.
if (args[0] == "webhook") return 0;

Line("## 2. Pipelines in parallel");
Line();
var count = int.Parse(Option("pipelines", "200"), CultureInfo.InvariantCulture);
Line($"{count} recordings end to end against the simulator at time scale {Stack.TimeScale} (start → recording → room ended → transcription → 4 files + summary.md + manifest).");
Line();
Line("| engine | pipelines | completed | wall s | pipelines/s | CPU s per pipeline | peak memory MiB | MiB per pipeline |");
Line("|---|---:|---:|---:|---:|---:|---:|---:|");
foreach (var engine in new[] { "InMemory", "AzureStorage" })
{
    var p = await PipelinesBenchmark.RunAsync(storage, engine, count);
    Line($"| {(engine == "InMemory" ? "in-memory" : "Azure Storage (Azurite)")} | {p.Pipelines} | {p.Completed} | {p.Wall.TotalSeconds:N1} | {p.PerSecond:N2} | {p.CpuSeconds / p.Pipelines:N3} | {p.PeakWorkingSet / 1048576.0:N0} | {(p.PeakWorkingSet - p.StartWorkingSet) / 1048576.0 / p.Pipelines:N2} |");
}
Line();

Line("## 3. Asset copy");
Line();
Line("Simulator → Azurite, each run in a fresh process; peak is the process's peak working set during the copy.");
Line();
Line("| size | mode | seconds | MB/s | ratio to baseline | peak memory MiB |");
Line("|---:|---|---:|---:|---:|---:|");
foreach (var mib in Option("copy-mib", "64,1024").Split(',').Select(long.Parse))
{
    CopyBenchmark.Result? baseline = null;
    foreach (var mode in new[] { "baseline", "activity" })
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { typeof(CopyBenchmark).Assembly.Location, "copy", "--storage", storage, "--bytes", (mib * 1048576).ToString(CultureInfo.InvariantCulture), "--mode", mode })
            start.ArgumentList.Add(arg);
        using var child = Process.Start(start)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        var run = JsonSerializer.Deserialize<CopyBenchmark.Result>(output.Trim().Split('\n')[^1])!;
        baseline ??= run;
        Line($"| {mib} MiB | {run.Mode} | {run.Elapsed.TotalSeconds:N1} | {run.MegabytesPerSecond:N0} | {run.MegabytesPerSecond / baseline.MegabytesPerSecond:N2} | {run.PeakWorkingSet / 1048576.0:N0} |");
    }
}

var outPath = Option("out", "");
if (outPath.Length > 0)
{
    var header = new StringBuilder()
        .AppendLine("# Benchmarks")
        .AppendLine()
        .AppendLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Option("machine", "this machine")}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, Release build.")
        .AppendLine("Reproduce with `scripts/bench.sh` (it starts Azurite; the simulator and the local host run inside the benchmark process, the webhook load generator in a second one).")
        .AppendLine();
    // The notes below the marker (profiles, changes, before/after pairs) are written by people and kept.
    const string notesMarker = "<!-- notes: kept by scripts/bench.sh -->";
    var previous = File.Exists(outPath) ? await File.ReadAllTextAsync(outPath) : "";
    var notes = previous.IndexOf(notesMarker, StringComparison.Ordinal) is var at and >= 0 ? previous[at..] : "";
    await File.WriteAllTextAsync(outPath, header + report.ToString() + (notes.Length > 0 ? Environment.NewLine + notes : ""));
}
return 0;
