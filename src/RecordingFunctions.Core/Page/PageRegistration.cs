using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace RecordingFunctions.Page;

public static class PageRegistration
{
    /// <summary>The archive page: who may use it, the key check against the Functions host, its API.</summary>
    public static IServiceCollection AddRecordingPage(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PageOptions>(configuration.GetSection(PageOptions.Section));
        services.AddHttpClient(FunctionKeyCheck.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton<FunctionKeyCheck>();
        services.AddSingleton<PageAccess>();
        services.AddSingleton<PageApi>();
        return services;
    }
}
