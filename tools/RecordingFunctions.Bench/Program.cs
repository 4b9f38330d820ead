// Benchmarks for RecordingFunctions: they print figures, they assert nothing. scripts/bench.sh runs `all`.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RecordingFunctions.Bench;

// Later flags win (scripts/bench.sh --quick expands to flags that the ones after it override).
var options = new Dictionary<string, string>();
foreach (var (arg, i) in args.Skip(1).Select((arg, i) => (arg, i)).Where(p => p.arg.StartsWith("--", StringComparison.Ordinal)))
    options[arg[2..]] = i + 2 < args.Length && !args[i + 2].StartsWith("--", StringComparison.Ordinal) ? args[i + 2] : "";
string Option(string name, string fallback) => options.TryGetValue(name, out var value) && value.Length > 0 ? value : fallback;
var storage = Option("storage", "UseDevelopmentStorage=true");

switch (args.FirstOrDefault())
{
    case "copy":
        var result = await CopyBenchmark.RunAsync(storage, long.Parse(Option("bytes", "67108864"), CultureInfo.InvariantCulture), Option("mode", "activity") == "baseline");
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    case "enqueue-load":
        await WebhookBenchmark.EnqueueLoadAsync(storage, int.Parse(Option("seconds", "10"), CultureInfo.InvariantCulture), int.Parse(Option("concurrency", "32"), CultureInfo.InvariantCulture));
        return 0;
    case "webhook-load":
        await WebhookBenchmark.LoadAsync(new Uri(Option("url", "")), Option("secret", ""), Option("rooms", "").Split(','),
            int.Parse(Option("seconds", "10"), CultureInfo.InvariantCulture), int.Parse(Option("concurrency", "32"), CultureInfo.InvariantCulture));
        return 0;
    case "all":
    case "webhook":
    case "hosts":
        break;
    default:
        Console.Error.WriteLine("usage: bench all|webhook [--storage CONN] [--pipelines 200] [--copy-mib 64,1024] [--copy-runs 3] [--webhook-seconds 10] [--concurrency 32] [--engines InMemory,AzureStorage]"
            + " [--host-pipelines 50] [--idle-seconds 60] [--production-idle-seconds 180] [--func-host PATH --functions-app DIR] [--root DIR] [--out docs/benchmarks.md]");
        return 2;
}

var report = new StringBuilder();
void Line(string text = "")
{
    Console.WriteLine(text);
    report.AppendLine(text);
}

// `hosts` runs sections 4–6 alone (printed; docs/benchmarks.md untouched).
var webhookSeconds = int.Parse(Option("webhook-seconds", "10"), CultureInfo.InvariantCulture);
var concurrency = int.Parse(Option("concurrency", "32"), CultureInfo.InvariantCulture);
if (args[0] != "hosts")
{
Line("## 1. Webhook ingestion");
Line();
Line($"{webhookSeconds} s per engine, {concurrency} concurrent connections from a separate process, half of them with a wrong secret; 20 pipelines waiting in `recording`. "
    + $"Right after the Azure Storage run, the same process shape enqueues plain messages on the same Azurite queue service for {webhookSeconds} s with the same concurrency: "
    + "a routed event needs at least one enqueue, so routed/s ÷ enqueue/s is how close ingestion runs to this design's ceiling (1.0).");
Line();
Line("| engine | requests | sent | answered as expected | events delivered to pipelines | requests/s | ratio to raw enqueue/s | p50 ms | p95 ms | p99 ms |");
Line("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var engine in Option("engines", "InMemory,AzureStorage").Split(','))
{
    var rows = await WebhookBenchmark.RunAsync(storage, engine, pipelines: 20, webhookSeconds, concurrency);
    var enqueue = engine == "AzureStorage" ? await WebhookBenchmark.RunEnqueueProcessAsync(storage, webhookSeconds, concurrency) : 0;
    foreach (var w in rows)
    {
        var routed = w.Kind.StartsWith("routed", StringComparison.Ordinal);
        Line($"| {(engine == "InMemory" ? "in-memory" : "Azure Storage (Azurite)")} | {w.Kind} | {w.Sent:N0} | {w.Ok:N0} | {(routed ? w.Delivered.ToString("N0", CultureInfo.InvariantCulture) : "–")} | {w.RequestsPerSecond:N0} | {(routed && enqueue > 0 ? (w.RequestsPerSecond / enqueue).ToString("0.00", CultureInfo.InvariantCulture) : "–")} | {w.P50:N1} | {w.P95:N1} | {w.P99:N1} |");
    }
    if (enqueue > 0) Line($"| Azure Storage (Azurite) | raw enqueue (`QueueClient.SendMessageAsync`, 600 B) | – | – | – | {enqueue:N0} | 1.00 | – | – | – |");
}
Line();
// `webhook` measures ingestion alone and prints it; it never rewrites docs/benchmarks.md.
if (args[0] == "webhook") return 0;

Line("## 2. Pipelines in parallel");
Line();
var count = int.Parse(Option("pipelines", "200"), CultureInfo.InvariantCulture);
Line($"{count} recordings end to end against the simulator at time scale {Stack.TimeScale} (start → recording → room ended → transcription → 4 files + summary.md + manifest).");
Line();
Line("Latency: from `transcription.success` reaching the webhook route (its first delivery) to `manifest.json` written, per pipeline; all rooms end together, so it includes the queueing of 200 pipelines copying at once.");
Line();
Line("| engine | pipelines | completed | wall s | pipelines/s | CPU s per pipeline | peak memory MiB | MiB per pipeline | latency p50 ms | p95 ms | p99 ms |");
Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var engine in new[] { "InMemory", "AzureStorage" })
{
    var p = await PipelinesBenchmark.RunAsync(storage, engine, count);
    Line($"| {(engine == "InMemory" ? "in-memory" : "Azure Storage (Azurite)")} | {p.Pipelines} | {p.Completed} | {p.Wall.TotalSeconds:N1} | {p.PerSecond:N2} | {p.CpuSeconds / p.Pipelines:N3} | {p.PeakWorkingSet / 1048576.0:N0} | {(p.PeakWorkingSet - p.StartWorkingSet) / 1048576.0 / p.Pipelines:N2} | {Percentiles.Of(p.LatenciesMs, 50):N0} | {Percentiles.Of(p.LatenciesMs, 95):N0} | {Percentiles.Of(p.LatenciesMs, 99):N0} |");
}
Line();

Line("## 3. Asset copy");
Line();
var copyRuns = int.Parse(Option("copy-runs", "3"), CultureInfo.InvariantCulture);
Line($"Simulator → Azurite, each run in a fresh process, baseline (plain HTTP GET → `BlobClient.UploadAsync`) and copy activity back to back, {copyRuns} pairs per size; peak is the process's peak working set during the copy. "
    + "The ratio is the copy activity's MB/s over the baseline's in the same pair; the spread is the lowest and highest pair.");
Line();
Line("| size | pairs | baseline MB/s (median) | copy activity MB/s (median) | ratio to baseline (median) | ratio spread | baseline peak MiB | copy activity peak MiB (max) |");
Line("|---:|---:|---:|---:|---:|---|---:|---:|");
foreach (var mib in Option("copy-mib", "64,1024").Split(',').Select(long.Parse))
{
    var pairs = new List<(CopyBenchmark.Result Baseline, CopyBenchmark.Result Copy)>();
    for (var run = 0; run < copyRuns; run++)
        pairs.Add((await CopyInFreshProcessAsync(mib, "baseline"), await CopyInFreshProcessAsync(mib, "activity")));
    var ratios = pairs.Select(p => p.Copy.MegabytesPerSecond / p.Baseline.MegabytesPerSecond).Order().ToList();
    double Median(IEnumerable<double> values) { var sorted = values.Order().ToList(); return sorted[sorted.Count / 2]; }
    Line($"| {mib} MiB | {copyRuns} | {Median(pairs.Select(p => p.Baseline.MegabytesPerSecond)):N0} | {Median(pairs.Select(p => p.Copy.MegabytesPerSecond)):N0} | {Median(ratios):N2} | {ratios[0]:N2}–{ratios[^1]:N2} | {pairs.Max(p => p.Baseline.PeakWorkingSet) / 1048576.0:N0} | {pairs.Max(p => p.Copy.PeakWorkingSet) / 1048576.0:N0} |");
}
Line();
}

// Sections 4–6: each host as a child process behind the counting proxy.
var root = Option("root", Directory.GetCurrentDirectory());
var hostOptions = new HostsBenchmark.Options(int.Parse(Option("host-pipelines", "50"), CultureInfo.InvariantCulture), int.Parse(Option("idle-seconds", "60"), CultureInfo.InvariantCulture),
    webhookSeconds, concurrency, TimeSpan.FromSeconds(1));
var local = await HostsBenchmark.RunAsync(root, storage, HostChoice.Local, hostOptions);
HostsBenchmark.Session? functions = null, production = null;
var launcher = Option("func-host", "");
var functionsApp = Option("functions-app", "");
var whyNoFunctionsHost = "";
if (launcher.Length > 0 && File.Exists(launcher) && File.Exists(Path.Combine(functionsApp, "worker.config.json")))
{
    functions = await HostsBenchmark.RunAsync(root, storage, HostChoice.Functions(launcher, functionsApp), hostOptions);
    production = await HostsBenchmark.RunAsync(root, storage, HostChoice.Functions(launcher, functionsApp),
        hostOptions with { IdleSeconds = int.Parse(Option("production-idle-seconds", "180"), CultureInfo.InvariantCulture), QueuePollingInterval = null, IdleOnly = true });
}
else
{
    whyNoFunctionsHost = $"No Functions host run: `--func-host` ({(launcher.Length == 0 ? "not given" : launcher)}) and a published app in `--functions-app` are needed.";
}
var hosts = new[] { local, functions }.OfType<HostsBenchmark.Session>().ToList();

Line("## 4. Storage operations: per recording, per webhook, idle");
Line();
Line($"Counted by a loopback proxy between the app and Azurite (every request, by service and kind), with each host as a child process and its own task hub. "
    + $"Per recording: {hostOptions.Pipelines} pipelines, each a 1 h recording (6 s at time scale {HostsBenchmark.TimeScale}) with every output mode and the summary, ended by the room, through `manifest.json`. "
    + "Per webhook: one `beam.started.success` to each of 20 rooms in `recording`, one after the other (each a cache miss in the receiver), and the same event under the load of section 5. "
    + "Empty queue gets (polls that found nothing) depend on time, not work: they are left out of the per-recording and per-webhook counts and appear in the idle rows. "
    + "What an idle host does besides polling (lease renewals, timers) is measured first and taken out of the other counts. "
    + "Table `$batch` requests are counted once each; the entities in them are the `table batch entities` row.");
if (whyNoFunctionsHost.Length > 0) Line(whyNoFunctionsHost);
Line();
var columns = new List<(string Title, Dictionary<string, double> Counts)>();
foreach (var h in hosts)
{
    columns.Add(($"{h.Host}: per recording", h.PerPipeline));
    columns.Add(($"{h.Host}: per webhook (one per room)", h.PerWebhookOnePerRoom));
    columns.Add(($"{h.Host}: per webhook (under load)", h.PerWebhookUnderLoad));
}
foreach (var h in hosts) columns.Add(($"{h.Host}: idle per hour (polling {h.QueuePollingInterval?.TotalSeconds ?? 30:0} s)", h.IdlePerHour));
if (production is not null) columns.Add(($"Functions host: idle per hour (polling 30 s, the production default)", production.IdlePerHour));
Line("| operation | " + string.Join(" | ", columns.Select(c => c.Title)) + " |");
Line("|---|" + string.Concat(columns.Select(_ => "---:|")));
var operations = columns.SelectMany(c => c.Counts.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
foreach (var operation in operations)
    Line($"| {operation} | " + string.Join(" | ", columns.Select(c => c.Counts.TryGetValue(operation, out var n) ? HostsBenchmark.Format(n) : "–")) + " |");
Line("| **total (batch entities aside)** | " + string.Join(" | ", columns.Select(c => "**" + HostsBenchmark.Format(c.Counts.Where(p => p.Key != "table batch entities").Sum(p => p.Value)) + "**")) + " |");
Line();
foreach (var h in hosts.Where(h => h.Host == "Functions host"))
    Line($"Function executions the Functions host logged: {h.ExecutionsPerPipeline:N1} per recording (orchestrator episodes, activities, the start and 100ms's webhooks); {h.IdleExecutionsPerHour:N0} per idle hour (polling 1 s run).");
foreach (var h in hosts)
    Line($"Calls to 100ms per recording on the {h.Host}: " + string.Join(", ", h.HmsCallsPerPipeline.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value:0.#}")) + ".");
if (production is not null) Line($"Idle at the production polling default: {production.IdleExecutionsPerHour:N1} executions per hour (timers), over {production.IdleSeconds:N0} s after a 45 s settle.");
Line();

Line("## 5. The real Functions host against the local host");
Line();
if (functions is null)
{
    Line(whyNoFunctionsHost);
}
else
{
    Line($"Both hosts as child processes in this run, one after the other, with the same Azurite, the same counting proxy in front of it, the simulator in the benchmark process at time scale {HostsBenchmark.TimeScale}, "
        + $"Durable's queue polling at most 1 s on both. Pipelines: {hostOptions.Pipelines} recordings as in section 4, from the first start to the last `manifest.json`. "
        + $"Webhooks: {webhookSeconds} s, {concurrency} connections from a separate process, half with a wrong secret, 20 pipelines in `recording`. "
        + "CPU and memory are the host's whole process tree (the Functions host runs the worker as a child). Ratios are Functions host ÷ local host.");
    Line();
    Line("| measure | local host | Functions host | ratio |");
    Line("|---|---:|---:|---:|");
    void Compare(string measure, double l, double f, string format) =>
        Line($"| {measure} | {l.ToString(format, CultureInfo.InvariantCulture)} | {f.ToString(format, CultureInfo.InvariantCulture)} | {(l > 0 ? (f / l).ToString("0.00", CultureInfo.InvariantCulture) : "–")} |");
    Compare("pipelines completed", local.Completed, functions.Completed, "N0");
    Compare("pipelines/s", local.PipelinesPerSecond, functions.PipelinesPerSecond, "N2");
    Compare("CPU s per pipeline", local.CpuSecondsPerPipeline, functions.CpuSecondsPerPipeline, "N3");
    Compare("peak resident memory MiB", local.PeakResidentBytes / 1048576.0, functions.PeakResidentBytes / 1048576.0, "N0");
    Compare("storage operations per recording", local.PerPipeline.Where(p => p.Key != "table batch entities").Sum(p => p.Value), functions.PerPipeline.Where(p => p.Key != "table batch entities").Sum(p => p.Value), "N1");
    Compare("routed webhooks/s", local.Routed!.RequestsPerSecond, functions.Routed!.RequestsPerSecond, "N0");
    Compare("routed webhooks answered 200", local.Routed.Ok, functions.Routed.Ok, "N0");
    Compare("routed p50 ms", local.Routed.P50, functions.Routed.P50, "N1");
    Compare("routed p95 ms", local.Routed.P95, functions.Routed.P95, "N1");
    Compare("rejected webhooks/s", local.Rejected!.RequestsPerSecond, functions.Rejected!.RequestsPerSecond, "N0");
    Compare("host start s", local.StartTime.TotalSeconds, functions.StartTime.TotalSeconds, "N1");
}
Line();

Line("## 6. Cost");
Line();
var basis = functions ?? local;
var idleBasis = production ?? basis;
var storagePerRecording = CostModel.Storage(basis.PerPipeline);
var busySecondsPerRecording = basis.PipelinesWall.TotalSeconds / basis.Pipelines;
var executionsPerRecording = functions?.ExecutionsPerPipeline ?? 0;
var computeUpper = busySecondsPerRecording * CostModel.FlexInstanceGb * CostModel.FlexGbSecond.Usd;
var computeLower = basis.CpuSecondsPerPipeline * CostModel.FlexInstanceGb * CostModel.FlexGbSecond.Usd;
var executionsCost = executionsPerRecording * CostModel.FlexMillionExecutions.Usd / 1e6;
var idleStoragePerDay = CostModel.Storage(idleBasis.IdlePerHour) * 24;
Line($"The model is in [cost.md](cost.md). Counts from the {basis.Host} (section 4); idle from the {idleBasis.Host} at {(production is not null ? "the production polling default (30 s)" : "1 s polling")}. "
    + $"Flex Consumption bills the instance's memory ({CostModel.FlexInstanceGb:0.###} GB) while it executes: the upper bound takes the instance as busy for the whole {basis.Pipelines}-pipeline run ({busySecondsPerRecording:N2} s per recording on this machine), "
    + $"the lower bound only the host's CPU seconds ({basis.CpuSecondsPerPipeline:N3} s). Free grants are left out (they are per subscription and month).");
Line();
Line("| per 1,000 recordings | USD |");
Line("|---|---:|");
Line($"| storage transactions ({basis.PerPipeline.Where(p => p.Key != "table batch entities").Sum(p => p.Value) * 1000:N0} operations) | {storagePerRecording * 1000:N3} |");
Line($"| Flex executions ({executionsPerRecording * 1000:N0}) | {executionsCost * 1000:N3} |");
Line($"| Flex execution time, lower bound (CPU) – upper bound (busy instance) | {computeLower * 1000:N3} – {computeUpper * 1000:N3} |");
Line($"| **total** | **{(storagePerRecording + executionsCost + computeLower) * 1000:N2} – {(storagePerRecording + executionsCost + computeUpper) * 1000:N2}** |");
Line();
Line("| per idle day (instance kept alive) | USD |");
Line("|---|---:|");
Line($"| storage transactions ({idleBasis.IdlePerHour.Where(p => p.Key != "table batch entities").Sum(p => p.Value) * 24:N0} operations) | {idleStoragePerDay:N3} |");
Line($"| Flex executions ({idleBasis.IdleExecutionsPerHour * 24:N0}, timers) | {idleBasis.IdleExecutionsPerHour * 24 * CostModel.FlexMillionExecutions.Usd / 1e6:N4} |");
Line();
Line("| price | USD | per | source |");
Line("|---|---:|---|---|");
foreach (var price in CostModel.All) Line($"| {price.What} | {price.Usd} | {price.Per} | {price.Source} |");
Line();
var outPath = args[0] == "hosts" ? "" : Option("out", "");
if (outPath.Length > 0)
{
    var header = new StringBuilder()
        .AppendLine("# Benchmarks")
        .AppendLine()
        .AppendLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Option("machine", "this machine")}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, Release build.")
        .AppendLine("Reproduce with `scripts/bench.sh` (it starts Azurite; in sections 1–3 the simulator and the local host run inside the benchmark process, the webhook load generator in a second one; in sections 4–6 each host is a child process behind a counting proxy). "
            + "Times swing by tens of percent between runs on this shared machine: read the ratios measured side by side and the counts.")
        .AppendLine();
    // The notes below the marker (profiles, changes, before/after pairs) are written by people and kept.
    const string notesMarker = "<!-- notes: kept by scripts/bench.sh -->";
    var previous = File.Exists(outPath) ? await File.ReadAllTextAsync(outPath) : "";
    var notes = previous.IndexOf(notesMarker, StringComparison.Ordinal) is var at and >= 0 ? previous[at..] : "";
    await File.WriteAllTextAsync(outPath, header + report.ToString() + (notes.Length > 0 ? Environment.NewLine + notes : ""));
}
return 0;

async Task<CopyBenchmark.Result> CopyInFreshProcessAsync(long mib, string mode)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
    foreach (var arg in new[] { typeof(CopyBenchmark).Assembly.Location, "copy", "--storage", storage, "--bytes", (mib * 1048576).ToString(CultureInfo.InvariantCulture), "--mode", mode })
        start.ArgumentList.Add(arg);
    using var child = Process.Start(start)!;
    var output = await child.StandardOutput.ReadToEndAsync();
    await child.WaitForExitAsync();
    return JsonSerializer.Deserialize<CopyBenchmark.Result>(output.Trim().Split('\n')[^1])!;
}
