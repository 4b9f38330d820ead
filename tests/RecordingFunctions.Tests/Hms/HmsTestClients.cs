using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecordingFunctions.Hms;

namespace RecordingFunctions.Tests.Hms;

/// <summary>Builds the product's 100ms client the way the app does, against a given base URL.</summary>
internal static class HmsTestClients
{
    public static (HmsClient Client, CountingTokenProvider Tokens) Create(
        Uri apiUrl, HmsOptions hms, ILogger<HmsClient>? logger = null, TimeSpan? timeout = null, TimeProvider? clock = null)
    {
        var options = Options.Create(hms);
        var secrets = new ConfigurationSecretStore(new StaticOptionsMonitor<HmsOptions>(hms));
        var tokens = new CountingTokenProvider(new HmsManagementTokenProvider(secrets, options, clock ?? TimeProvider.System));
        var http = new HttpClient { BaseAddress = apiUrl, Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        return (new HmsClient(http, tokens, logger ?? new CapturingLogger<HmsClient>()), tokens);
    }

    internal sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;
        public T Get(string? name) => value;
        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}

/// <summary>Counts how often the client asked for a fresh token.</summary>
internal sealed class CountingTokenProvider(IHmsManagementTokenProvider inner) : IHmsManagementTokenProvider
{
    public int Refreshes { get; private set; }
    public bool CanRefresh => inner.CanRefresh;

    public ValueTask<string> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        if (forceRefresh) Refreshes++;
        return inner.GetTokenAsync(forceRefresh, cancellationToken);
    }
}

/// <summary>Keeps every formatted log line, to check what reaches the logs.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    public List<string> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Lines) Lines.Add(formatter(state, exception) + " " + exception);
    }
}

/// <summary>A clock a test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;
    public override DateTimeOffset GetUtcNow() => Now;
}
