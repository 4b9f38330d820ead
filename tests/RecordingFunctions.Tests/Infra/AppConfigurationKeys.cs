using System.Reflection;
using System.Text.RegularExpressions;
using RecordingFunctions.Hms;
using RecordingFunctions.Pipeline;
using RecordingFunctions.Storage;

namespace RecordingFunctions.Tests.Infra;

/// <summary>One configuration key the app reads, written as an app setting name (<c>Section__Property</c>).</summary>
/// <param name="Property">The options property it binds to; null for keys read straight from IConfiguration.</param>
/// <param name="CodeDefault">The value the app uses when the key is not set.</param>
public sealed record AppConfigurationKey(string Name, PropertyInfo? Property, object? CodeDefault);

/// <summary>Every configuration key the app reads, derived from the code so that a new option cannot be forgotten.</summary>
public static partial class AppConfigurationKeys
{
    /// <summary>The options classes bound from configuration sections (each has a <c>Section</c> constant).</summary>
    public static IReadOnlyList<Type> OptionTypes { get; } =
        [typeof(HmsOptions), typeof(KeyVaultOptions), typeof(PipelineOptions), typeof(RecordingStorageOptions), typeof(AssetDownloadOptions),
         typeof(RecordingFunctions.Scheduling.CalendarOptions), typeof(RecordingFunctions.Archive.ArchiveOptions),
         typeof(RecordingFunctions.Page.PageOptions)];

    /// <summary>
    /// Keys read straight from IConfiguration (ServiceCollectionExtensions, for the archive's blob client), and the
    /// calendar and archive timers' schedules, which the Functions host resolves from <c>%CalendarSyncSchedule%</c> and
    /// <c>%ArchiveSweepSchedule%</c>, and where telemetry is exported (TelemetryServiceCollectionExtensions; the Functions
    /// host reads the Application Insights pair too).
    /// </summary>
    public static IReadOnlyList<string> DirectKeys { get; } =
        ["AzureWebJobsStorage", "AzureWebJobsStorage__blobServiceUri", "AzureWebJobsStorage__clientId", "CalendarSyncSchedule",
         "ArchiveSweepSchedule",
         TelemetryServiceCollectionExtensions.ApplicationInsightsConnectionString,
         TelemetryServiceCollectionExtensions.ApplicationInsightsAuthenticationString,
         TelemetryServiceCollectionExtensions.OtlpEndpoint];

    public static IReadOnlyList<AppConfigurationKey> All { get; } = Derive();

    public static AppConfigurationKey? Find(string appSettingName)
    {
        // A list property is set item by item: Downloads__AllowedHosts__0, __1, ...
        var name = IndexSuffix().Replace(appSettingName, "");
        return All.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    private static List<AppConfigurationKey> Derive()
    {
        var keys = new List<AppConfigurationKey>();
        foreach (var type in OptionTypes)
        {
            var section = type.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string
                ?? throw new InvalidOperationException($"{type.Name} has no Section constant.");
            var defaults = Activator.CreateInstance(type);
            keys.AddRange(type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.SetMethod is { IsPublic: true }) // set or init
                .Select(p => new AppConfigurationKey($"{section}__{p.Name}", p, p.GetValue(defaults))));
        }
        keys.AddRange(DirectKeys.Select(k => new AppConfigurationKey(k, null, null)));
        return keys;
    }

    [GeneratedRegex(@"(__\d+)+$")]
    private static partial Regex IndexSuffix();
}
