using System.Diagnostics;
using System.Security.Cryptography;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Hosts;

/// <summary>
/// The same function classes under <c>src/RecordingFunctions.LocalHost</c>, with its Durable state in Azurite as
/// under the Functions host, and a function key it checks like the host does (<c>LocalHost:FunctionKey</c>).
/// </summary>
public sealed class LocalHostFixture : AppHostFixture
{
    public LocalHostFixture() => FunctionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', '-').Replace('/', '_');

    public override string Name => "local host";

    protected override Task<Process> LaunchAsync()
    {
        var dll = Path.Combine(RepositoryPaths.Root, "src", "RecordingFunctions.LocalHost", "bin", RepositoryPaths.Configuration, "net10.0",
            "RecordingFunctions.LocalHost.dll");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseUrl.ToString());
        var settings = AppSettings();
        settings["LocalHost:Durable"] = "AzureStorage";
        settings["LocalHost:FunctionKey"] = FunctionKey;
        settings["LocalHost:CalendarSyncInterval"] = "00:00:02";
        // A restarted host takes over the killed one's partitions and messages sooner.
        settings["LocalHost:VisibilityTimeout"] = "00:00:05";
        settings["LocalHost:LeaseInterval"] = "00:00:05";
        settings["LocalHost:LeaseRenewInterval"] = "00:00:02";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        return Task.FromResult(Process.Start(start)!);
    }

    protected override Task WaitUntilReadyAsync(Process process, CancellationToken cancellationToken) =>
        WaitForOkAsync(process, "api/recordings?page_size=1", FunctionKey, cancellationToken);
}
