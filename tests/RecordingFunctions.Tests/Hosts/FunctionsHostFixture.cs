using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecordingFunctions.HmsSimulator;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Hosts;

/// <summary>
/// The published Functions app under the real Azure Functions host (<see cref="FunctionsHostCommand"/>): Core Tools'
/// <c>func start</c>, or the shared <c>func-host</c> launcher. Function keys are the host's own (file secrets).
/// </summary>
public sealed class FunctionsHostFixture : AppHostFixture
{
    private string State => Path.Combine(RepositoryPaths.Root, ".artifacts", "hosts", $"functions-host-{Port}");
    private string Secrets => Path.Combine(State, "secrets");

    public override string Name => "Functions host";

    /// <summary>The master key (admin API).</summary>
    public string MasterKey { get; private set; } = "";

    /// <summary>Without a host (and outside CI) the tests are skipped at discovery: start nothing for them.</summary>
    public override async Task InitializeAsync()
    {
        if (FunctionsHostCommand.Find(RepositoryPaths.Root, out _) is null && !Ci.IsRunning) return;
        await PublishedFunctionsApp.FolderAsync(); // before the host's start time is measured
        await base.InitializeAsync();
    }

    protected override async Task<Process> LaunchAsync()
    {
        var command = FunctionsHostCommand.Find(RepositoryPaths.Root, out var whyNot)
            ?? throw new InvalidOperationException(whyNot + (Ci.IsRunning ? " (CI=true: a missing host is a failure)" : ""));
        var app = await PublishedFunctionsApp.FolderAsync();
        Directory.CreateDirectory(Secrets);

        var values = new JsonObject();
        foreach (var (key, value) in AppSettings()) values[key.Replace(":", "__")] = value;
        values["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        values["CalendarSyncSchedule"] = "*/2 * * * * *";
        values["ArchiveSweepSchedule"] = "0 30 3 * * *";
        // The Durable extension backs off to 30 s between polls of an idle queue by default: too slow for tests.
        values["AzureFunctionsJobHost__extensions__durableTask__storageProvider__maxQueuePollingInterval"] = "00:00:01";
        values["AzureWebJobsSecretStorageType"] = "files";
        values["FUNCTIONS_SECRETS_PATH"] = Secrets;
        var settings = Path.Combine(State, "local.settings.json");
        await File.WriteAllTextAsync(settings, new JsonObject { ["IsEncrypted"] = false, ["Values"] = values }.ToJsonString());

        var start = new ProcessStartInfo(command.Executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (command.Kind == FunctionsHostKind.Launcher)
        {
            foreach (var arg in new[] { "--app", app, "--port", Port.ToString(), "--settings", settings, "--secrets", Secrets, "--logs", Path.Combine(State, "logs") })
                start.ArgumentList.Add(arg);
        }
        else
        {
            // Core Tools reads local.settings.json from the app's folder and checks keys only with --enableAuth.
            File.Copy(settings, Path.Combine(app, "local.settings.json"), overwrite: true);
            start.WorkingDirectory = app;
            foreach (var arg in new[] { "start", "--port", Port.ToString(), "--enableAuth" }) start.ArgumentList.Add(arg);
        }
        return Process.Start(start)!;
    }

    protected override async Task WaitUntilReadyAsync(Process process, CancellationToken cancellationToken)
    {
        using var client = Anonymous();
        var hostJson = Path.Combine(Secrets, "host.json");
        while (true)
        {
            EnsureRunning(process);
            try
            {
                // Unauthenticated, this makes the host create its keys; with the master key it says whether it runs.
                using var status = await client.GetAsync("admin/host/status", cancellationToken);
                if (File.Exists(hostJson) && await ReadKeysAsync(hostJson) && await IsRunningAsync(client, cancellationToken)) break;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(250, cancellationToken);
        }
        await WaitForOkAsync(process, "api/recordings?page_size=1", FunctionKey, cancellationToken);
    }

    private async Task<bool> ReadKeysAsync(string hostJson)
    {
        try
        {
            var keys = JsonNode.Parse(await File.ReadAllTextAsync(hostJson))!; // File.ReadAllText drops the BOM
            MasterKey = keys["masterKey"]!["value"]!.GetValue<string>();
            FunctionKey = keys["functionKeys"]!.AsArray().Single(k => k!["name"]!.GetValue<string>() == "default")!["value"]!.GetValue<string>();
            return true;
        }
        catch (Exception e) when (e is IOException or JsonException or NullReferenceException or InvalidOperationException)
        {
            return false; // being written
        }
    }

    private async Task<bool> IsRunningAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/host/status");
        request.Headers.Add("x-functions-key", MasterKey);
        using var response = await client.SendAsync(request, cancellationToken);
        return response.StatusCode == HttpStatusCode.OK
            && JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))?["state"]?.GetValue<string>() == "Running";
    }
}
