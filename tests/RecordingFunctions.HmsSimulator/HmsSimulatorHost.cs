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

    /// <summary>This simulator as the local stack sees it: its URL, keys, webhook secret and time scale.</summary>
    public LocalStack Stack => new()
    {
        SimulatorUrl = BaseUrl,
        AccessKey = Options.AccessKey,
        AppSecret = Options.AppSecret,
        WebhookSecret = Options.WebhookHeaders.GetValueOrDefault(LocalStack.WebhookHeader) ?? "",
        TimeScale = Options.TimeScale,
    };

    /// <summary>The settings that point RecordingFunctions at this simulator (<see cref="LocalStack.HmsSettings"/>).</summary>
    public IReadOnlyDictionary<string, string?> AppSettings() => new Dictionary<string, string?>(Stack.HmsSettings());

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
