// The local stack behind scripts/run-local.sh and run-local.ps1: starts Azurite, the 100ms simulator and the app
// (local host, or the real Functions host with --func) with the settings of LocalStack, then records one meeting end
// to end (the demo) or, with --serve, lists what is running and waits for Ctrl+C or SIGTERM.
using System.Runtime.InteropServices;
using RecordingFunctions.HmsSimulator;
using RecordingFunctions.RunLocal;

var serve = args.Contains("--serve");
var underFunctionsHost = args.Contains("--func");
if (args.Except(["--serve", "--func"]).FirstOrDefault() is { } unknown)
{
    Console.Error.WriteLine($"unknown option: {unknown} (usage: scripts/run-local.sh [--serve] [--func]; --help says more)");
    return 2;
}

var stack = LocalStack.FromEnvironment(Environment.GetEnvironmentVariable);
if (!serve && !stack.UsesSimulator)
{
    Console.Error.WriteLine("The demo drives the simulator; with real 100ms use --serve.");
    return 2;
}

var built = new DirectoryInfo(AppContext.BaseDirectory); // <project>/bin/<configuration>/<framework>/
var configuration = built.Parent!.Name;
var root = built.FullName;
while (!File.Exists(Path.Combine(root, "RecordingFunctions.sln")))
    root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("RecordingFunctions.sln not found above " + built.FullName);
var logs = Path.Combine(root, ".artifacts", "run-local");
Directory.CreateDirectory(logs);
string Built(string project, string name) => Path.Combine(root, project, "bin", configuration, built.Name, name + ".dll");
void Say(string text) => Console.WriteLine("== " + text);

using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext signal)
{
    signal.Cancel = true; // we stop the children ourselves, then exit
    stop.Cancel();
}
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

// Ctrl+C in a terminal signals every process of the group, so a child may exit just before our handler runs:
// give the signal a moment before calling that a failure.
async Task<bool> StoppedByUser()
{
    if (!stop.IsCancellationRequested) await Task.Delay(1000, CancellationToken.None);
    return stop.IsCancellationRequested;
}

var step = "starting";
int exitCode;
await using (var children = new ChildProcesses(logs))
{
    try
    {
        await RunAsync(children);
        exitCode = 0;
    }
    catch (Exception e)
    {
        if (await StoppedByUser())
        {
            exitCode = serve ? 0 : 130;
        }
        else
        {
            Console.Error.WriteLine($"run-local: FAILED while {step}: {e.Message} Logs: {logs}");
            exitCode = 1;
        }
    }
    if (stop.IsCancellationRequested) Say("stopping");
}
if (stop.IsCancellationRequested) Say("stopped: everything run-local started has ended");
else if (exitCode == 0) Say("done: everything run-local started has ended" + (stack.UsesAzurite ? $"; Azurite's data stays in {AzuriteLocation()}" : ""));
return exitCode;

string AzuriteLocation() => stack.AzuriteLocation ?? Path.Combine(root, ".azurite");

async Task RunAsync(ChildProcesses children)
{
    if (stack.UsesAzurite)
    {
        step = "starting Azurite";
        var (blob, queue, table) = stack.AzuritePorts;
        foreach (var port in new[] { blob, queue, table })
            if (await IsListeningAsync(port))
                throw new InvalidOperationException($"port {port} is taken: stop the other Azurite (or storage emulator) first, or set AZURITE_PORTS.");
        Say($"Azurite on 127.0.0.1:{blob},{queue},{table}, data in {AzuriteLocation()}");
        var azurite = children.Start("azurite", "node",
        [
            Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js"),
            "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--location", AzuriteLocation(),
            "--blobHost", "127.0.0.1", "--blobPort", $"{blob}", "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
        ], []);
        foreach (var port in new[] { blob, queue, table }) await azurite.WaitForPortAsync(port, stop.Token);
    }
    else
    {
        Say("storage: the account in STORAGE_CONNECTION_STRING");
    }

    if (stack.UsesSimulator)
    {
        step = "starting the 100ms simulator";
        Say($"100ms simulator on {stack.SimulatorUrl} (time scale {stack.TimeScale})");
        var simulator = children.Start("simulator", "dotnet",
            [Built("tests/RecordingFunctions.HmsSimulator", "RecordingFunctions.HmsSimulator"), "--urls", stack.SimulatorUrl.ToString()],
            LocalStack.AsEnvironment(stack.SimulatorSettings()));
        await simulator.WaitForPortAsync(stack.SimulatorUrl.Port, stop.Token);
    }
    else
    {
        Say($"100ms: {stack.HmsUrl}");
    }

    step = "starting the app";
    var functionKey = underFunctionsHost ? await StartFunctionsHostAsync(children) : await StartLocalHostAsync(children);

    if (serve)
    {
        PrintWhatRuns(functionKey);
        var exited = children.AnyExitedAsync();
        await Task.WhenAny(exited, Task.Delay(Timeout.Infinite, stop.Token));
        step = "serving";
        stop.Token.ThrowIfCancellationRequested();
        var child = await exited;
        throw new InvalidOperationException($"{child.Name} exited on its own; see {child.LogFile}.");
    }

    step = "running the demo recording";
    Say("recording one meeting end to end");
    var result = await DemoRecording.RunAsync(stack.ApiUrl, stack.SimulatorUrl, stack.Storage, functionKey, stop.Token);
    if (result != 0) throw new InvalidOperationException("the demo recording did not complete (see above).");
    Say($"the archive page was at {stack.PageUrl} (scripts/run-local.sh --serve keeps it open)");
}

async Task<string?> StartLocalHostAsync(ChildProcesses children)
{
    Say($"local host on {stack.ApiUrl} (Durable state in storage, task hub RecordingFunctions)");
    var host = children.Start("host", "dotnet",
        [Built("src/RecordingFunctions.LocalHost", "RecordingFunctions.LocalHost"), "--urls", stack.ApiUrl.ToString()],
        LocalStack.AsEnvironment(stack.AppSettings()));
    await host.WaitForPortAsync(stack.ApiUrl.Port, stop.Token);
    return null;
}

async Task<string?> StartFunctionsHostAsync(ChildProcesses children)
{
    var settings = new Dictionary<string, string?>(stack.AppSettings());
    foreach (var (key, value) in FunctionsHost.Settings()) settings[key] = value;

    var command = FunctionsHostCommand.Find(root, out var whyNot)
        ?? throw new InvalidOperationException($"--func needs Azure Functions Core Tools (func) on PATH, or the shared host: {whyNot}");
    if (command.Kind == FunctionsHostKind.CoreTools)
    {
        Say($"Functions host (func start) on {stack.ApiUrl}");
        settings["AzureFunctionsJobHost:extensions:http:routePrefix"] = "api";
        var coreTools = children.Start("func", command.Executable, ["start", "--port", $"{stack.ApiUrl.Port}"], LocalStack.AsEnvironment(settings),
            Path.Combine(root, "src", "RecordingFunctions"));
        await coreTools.WaitForPortAsync(stack.ApiUrl.Port, stop.Token);
        return null;
    }

    step = "publishing src/RecordingFunctions";
    Say("publishing src/RecordingFunctions");
    var app = Path.Combine(logs, "functions-app");
    if (Directory.Exists(app)) Directory.Delete(app, recursive: true);
    var publish = children.Start("publish", "dotnet",
        ["publish", Path.Combine(root, "src", "RecordingFunctions"), "-c", configuration, "-o", app, "-nologo", "-clp:ErrorsOnly", "-v", "q"], []);
    await publish.Process.WaitForExitAsync(stop.Token);
    if (publish.Process.ExitCode != 0) throw new InvalidOperationException($"dotnet publish failed; see {publish.LogFile}");

    step = "starting the app";
    Say($"Functions host (func-host) on {stack.ApiUrl}");
    var state = Path.Combine(logs, "func-host");
    var host = children.Start("func", command.Executable,
        ["--app", app, "--port", $"{stack.ApiUrl.Port}", "--secrets", Path.Combine(state, "secrets"), "--logs", Path.Combine(state, "logs")],
        LocalStack.AsEnvironment(settings));
    await host.WaitForLineAsync("func-host: ready", stop.Token);
    var keys = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(state, "secrets", "host.json")))!;
    return keys["functionKeys"]!.AsArray().Single(k => k!["name"]!.GetValue<string>() == "default")!["value"]!.GetValue<string>();
}

void PrintWhatRuns(string? functionKey)
{
    var api = stack.ApiUrl.ToString().TrimEnd('/');
    var code = functionKey is null ? "" : "?code=" + functionKey;
    var room = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8}{Random.Shared.NextInt64(1L << 60):x16}";
    var storage = stack.UsesAzurite ? stack.Storage : "the account in STORAGE_CONNECTION_STRING";
    Console.WriteLine($"""

        RecordingFunctions is running:
          page       {stack.PageUrl}   (open in a browser on this machine)
          API        {api}/api
          100ms      {stack.HmsUrl}{(stack.UsesSimulator ? "   (the simulator)" : "")}
          storage    {storage}
          logs       {logs}

        Routes (the Functions app's HTTP triggers; "key" ones need a function key{(functionKey is null ? " under the Functions host" : "")}):
        """);
    var width = HttpRoute.All.Max(route => route.Path.Length);
    foreach (var route in HttpRoute.All)
        Console.WriteLine($"  {route.Method,-7}{api}{route.Path.PadRight(width)}{(route.NeedsKey ? "  key" : "")}".TrimEnd());
    Console.WriteLine();
    if (stack.UsesSimulator)
    {
        Console.WriteLine($"Webhooks: POST {stack.WebhookUrl} with header {LocalStack.WebhookHeader}: {stack.WebhookSecret}");
        Console.WriteLine($"Simulator keys: access key {stack.AccessKey}, app secret {stack.AppSecret}");
    }
    else
    {
        // Real secrets stay off the screen.
        Console.WriteLine($"Webhooks: POST {stack.WebhookUrl} with header {LocalStack.WebhookHeader}: the secret in HMS_WEBHOOK_SECRET (or Key Vault)");
    }
    if (functionKey is not null) Console.WriteLine($"Function key: {functionKey}   (header x-functions-key, or ?code=)");
    const string body = """{"transcription":{"enabled":true,"output_modes":["txt","srt","json"],"summary":{"enabled":true}}}""";
    Console.WriteLine($"""

        Start a recording:
          curl -i -X POST {api}/api/rooms/{room}/recordings{code} -H 'Content-Type: application/json' \
            -d '{body}'
        Follow it (the Location header):
          curl -s {api}/api/recordings/<id>{code}
        """);
    if (stack.UsesSimulator)
        Console.WriteLine($"""
            End the meeting (simulator):
              curl -X POST {stack.SimulatorUrl}admin/rooms/{room}/end
            """);
    Console.WriteLine();
    Console.WriteLine("Ctrl+C stops everything.");
}

static async Task<bool> IsListeningAsync(int port)
{
    using var client = new System.Net.Sockets.TcpClient();
    try
    {
        await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
        return true;
    }
    catch (System.Net.Sockets.SocketException)
    {
        return false;
    }
}
