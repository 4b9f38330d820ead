using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace RecordingFunctions.HmsSimulator;

/// <summary>The simulator started in-process on a free loopback port, for tests.</summary>
public sealed class HmsSimulatorHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private HmsSimulatorHost(WebApplication app, Uri baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The root: the API is at <c>BaseUrl + "v2/"</c>.</summary>
    public Uri BaseUrl { get; }

    public Uri ApiUrl => new(BaseUrl, "v2/");

    public SimulatorEngine Engine => app.Services.GetRequiredService<SimulatorEngine>();

    public SimulatorOptions Options => Engine.Options;

    /// <summary>
    /// The settings that point RecordingFunctions at this simulator: its API and credentials, plain-http downloads
    /// from loopback, the webhook secret it sends (header <c>X-100ms-Key</c>), and its time scale.
    /// Keys use <c>:</c>; environment variables want <c>__</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string?> AppSettings() => new Dictionary<string, string?>
    {
        ["Hms:BaseUrl"] = ApiUrl.ToString(),
        ["Hms:AccessKey"] = Options.AccessKey,
        ["Hms:AppSecret"] = Options.AppSecret,
        ["Hms:WebhookSecret"] = Options.WebhookHeaders.GetValueOrDefault("X-100ms-Key"),
        ["Downloads:AllowHttp"] = "true",
        ["Downloads:AllowedHosts:0"] = "127.0.0.1",
        ["Pipeline:TimeScale"] = Options.TimeScale.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static async Task<HmsSimulatorHost> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var app = HmsSimulatorApp.Build(["--urls", "http://127.0.0.1:0"], configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HmsSimulatorHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
