using System.Globalization;

namespace RecordingFunctions.HmsSimulator;

/// <summary>
/// The local stack in one place: Azurite (or a storage account), the 100ms simulator (or real 100ms) and the app,
/// with the keys, webhook secret and header that tie them together. <c>scripts/run-local.sh</c> (through
/// <c>tools/RecordingFunctions.RunLocal</c>), the tests and the benchmarks take their settings from here.
/// Keys use <c>:</c>; environment variables want <c>__</c> (<see cref="AsEnvironment"/>).
/// </summary>
public sealed record LocalStack
{
    /// <summary>The header the simulator sends the webhook secret in, as configured in 100ms's dashboard.</summary>
    public const string WebhookHeader = "X-100ms-Key";

    /// <summary>The app's webhook route (the Functions app's <c>webhooks/100ms</c> trigger under <c>api/</c>).</summary>
    public const string WebhookPath = "api/webhooks/100ms";

    public const string DefaultWebhookSecret = "local-webhook-secret";

    private static readonly SimulatorOptions SimulatorDefaults = new();

    /// <summary>Where the app listens (root, ending in <c>/</c>).</summary>
    public Uri ApiUrl { get; init; } = new("http://127.0.0.1:7071/");

    /// <summary>Where the simulator listens (root, ending in <c>/</c>).</summary>
    public Uri SimulatorUrl { get; init; } = new("http://127.0.0.1:5080/");

    /// <summary>Real 100ms's API instead of the simulator (<c>HMS_BASE_URL</c>).</summary>
    public Uri? RealHmsUrl { get; init; }

    public string AccessKey { get; init; } = SimulatorDefaults.AccessKey;
    public string AppSecret { get; init; } = SimulatorDefaults.AppSecret;
    public string? ManagementToken { get; init; }
    public string WebhookSecret { get; init; } = DefaultWebhookSecret;

    /// <summary>Simulated seconds per real second, for the simulator and the app's timers.</summary>
    public double TimeScale { get; init; } = 60;

    /// <summary>A storage account instead of Azurite (<c>STORAGE_CONNECTION_STRING</c>).</summary>
    public string? StorageConnectionString { get; init; }

    public (int Blob, int Queue, int Table) AzuritePorts { get; init; } = (10000, 10001, 10002);

    /// <summary>Where Azurite keeps its data (<c>AZURITE_LOCATION</c>); null: <c>.azurite/</c> in the repository.</summary>
    public string? AzuriteLocation { get; init; }

    /// <summary>Where the app reads the 100ms secrets instead of from its settings (<c>KEYVAULT_URI</c>).</summary>
    public string? KeyVaultUri { get; init; }

    public bool UsesSimulator => RealHmsUrl is null;
    public bool UsesAzurite => string.IsNullOrEmpty(StorageConnectionString);
    public Uri HmsUrl => RealHmsUrl ?? new Uri(SimulatorUrl, "v2/");
    public Uri WebhookUrl => new(ApiUrl, WebhookPath);
    public Uri PageUrl => new(ApiUrl, "api/page");

    public string Storage => UsesAzurite ? AzuriteConnectionString(AzuritePorts) : StorageConnectionString!;

    /// <summary>Azurite's well-known development account on the given loopback ports.</summary>
    public static string AzuriteConnectionString((int Blob, int Queue, int Table) ports) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1"
        + ";AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
        + $";BlobEndpoint=http://127.0.0.1:{ports.Blob}/devstoreaccount1"
        + $";QueueEndpoint=http://127.0.0.1:{ports.Queue}/devstoreaccount1"
        + $";TableEndpoint=http://127.0.0.1:{ports.Table}/devstoreaccount1;";

    /// <summary>
    /// The stack the environment variables describe: HMS_BASE_URL, HMS_ACCESS_KEY, HMS_APP_SECRET, HMS_MANAGEMENT_TOKEN,
    /// HMS_WEBHOOK_SECRET, STORAGE_CONNECTION_STRING, KEYVAULT_URI, TIME_SCALE, API_PORT, SIMULATOR_PORT, AZURITE_PORTS
    /// (blob,queue,table) and AZURITE_LOCATION. Unset or empty ones keep the defaults.
    /// </summary>
    public static LocalStack FromEnvironment(Func<string, string?> variable)
    {
        string? Get(string name) => variable(name) is { Length: > 0 } value ? value : null;
        var stack = new LocalStack();
        var azurite = Get("AZURITE_PORTS")?.Split(',').Select(int.Parse).ToArray() ?? [10000, 10001, 10002];
        if (azurite.Length != 3) throw new FormatException("AZURITE_PORTS takes three ports: blob,queue,table");
        var realHms = Get("HMS_BASE_URL") is { } url ? new Uri(url.EndsWith('/') ? url : url + "/") : null;
        return stack with
        {
            ApiUrl = new Uri($"http://127.0.0.1:{Get("API_PORT") ?? "7071"}/"),
            SimulatorUrl = new Uri($"http://127.0.0.1:{Get("SIMULATOR_PORT") ?? "5080"}/"),
            RealHmsUrl = realHms,
            AccessKey = Get("HMS_ACCESS_KEY") ?? stack.AccessKey,
            AppSecret = Get("HMS_APP_SECRET") ?? stack.AppSecret,
            ManagementToken = Get("HMS_MANAGEMENT_TOKEN"),
            WebhookSecret = Get("HMS_WEBHOOK_SECRET") ?? stack.WebhookSecret,
            // Real 100ms takes real time.
            TimeScale = realHms is not null ? 1 : double.Parse(Get("TIME_SCALE") ?? "60", CultureInfo.InvariantCulture),
            StorageConnectionString = Get("STORAGE_CONNECTION_STRING"),
            AzuritePorts = (azurite[0], azurite[1], azurite[2]),
            AzuriteLocation = Get("AZURITE_LOCATION"),
            KeyVaultUri = Get("KEYVAULT_URI"),
        };
    }

    /// <summary>The simulator's settings: the keys tokens must carry, and where and how it posts webhooks.</summary>
    public IDictionary<string, string?> SimulatorSettings() => new Dictionary<string, string?>
    {
        ["Simulator:AccessKey"] = AccessKey,
        ["Simulator:AppSecret"] = AppSecret,
        ["Simulator:TimeScale"] = TimeScale.ToString(CultureInfo.InvariantCulture),
        ["Simulator:WebhookUrl"] = WebhookUrl.ToString(),
        [$"Simulator:WebhookHeaders:{WebhookHeader}"] = WebhookSecret,
    };

    /// <summary>The app's settings: its storage and worker runtime, and <see cref="HmsSettings"/>.</summary>
    public IDictionary<string, string?> AppSettings() => new Dictionary<string, string?>(HmsSettings())
    {
        ["AzureWebJobsStorage"] = Storage,
        ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
    };

    /// <summary>
    /// What points the app at 100ms: the API with the credentials and webhook secret the simulator expects (or
    /// Key Vault's), plain-http downloads from loopback for the simulator's files, and the time scale.
    /// </summary>
    public IDictionary<string, string?> HmsSettings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Hms:BaseUrl"] = HmsUrl.ToString(),
            ["Hms:WebhookHeaderName"] = WebhookHeader,
            ["Pipeline:TimeScale"] = TimeScale.ToString(CultureInfo.InvariantCulture),
        };
        if (KeyVaultUri is not null)
        {
            settings["KeyVault:Uri"] = KeyVaultUri;
        }
        else
        {
            settings["Hms:AccessKey"] = AccessKey;
            settings["Hms:AppSecret"] = AppSecret;
            settings["Hms:WebhookSecret"] = WebhookSecret;
            if (ManagementToken is not null) settings["Hms:ManagementToken"] = ManagementToken;
        }
        if (UsesSimulator)
        {
            settings["Downloads:AllowHttp"] = "true";
            settings["Downloads:AllowedHosts:0"] = "127.0.0.1";
        }
        return settings;
    }

    /// <summary>Settings as environment variables: <c>:</c> becomes <c>__</c>.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> AsEnvironment(IDictionary<string, string?> settings) =>
        settings.Select(s => KeyValuePair.Create(s.Key.Replace(":", "__"), s.Value));
}
