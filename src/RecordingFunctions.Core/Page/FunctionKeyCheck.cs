using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace RecordingFunctions.Page;

/// <summary>
/// Asks the Functions host whether a key is one of its function keys. Keys live in the host, not in the worker, so the
/// check calls this app's own function-level route <c>page/key</c> with the key: the host answers 401 for a wrong one.
/// Answers are kept for <see cref="PageOptions.KeyCheckCacheTime"/> under the key's SHA-256, never the key itself.
/// </summary>
public class FunctionKeyCheck
{
    public const string HttpClientName = "FunctionKeyCheck";
    private const int MaxCachedAnswers = 1000;

    private readonly IHttpClientFactory http;
    private readonly PageOptions options;
    private readonly TimeProvider clock;
    private readonly ConcurrentDictionary<string, (bool Valid, DateTimeOffset Until)> answers = new();

    public FunctionKeyCheck(IHttpClientFactory http, IOptions<PageOptions> options, IConfiguration configuration, TimeProvider clock)
    {
        this.http = http;
        this.options = options.Value;
        this.clock = clock;
        var hostName = configuration["WEBSITE_HOSTNAME"];
        Url = this.options.KeyCheckUrl
            ?? (!string.IsNullOrEmpty(configuration["WEBSITE_INSTANCE_ID"]) && !string.IsNullOrEmpty(hostName)
                ? new Uri($"https://{hostName}/api/page/key")
                : null);
    }

    public Uri? Url { get; }

    public bool IsConfigured => Url is not null;

    public virtual async Task<bool> IsValidAsync(string key, CancellationToken cancellationToken)
    {
        if (Url is null || key.Length > 512) return false;
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var now = clock.GetUtcNow();
        if (answers.TryGetValue(hash, out var answer) && answer.Until > now) return answer.Valid;

        using var request = new HttpRequestMessage(HttpMethod.Get, Url);
        request.Headers.Add(PageAccess.FunctionKeyHeader, key);
        using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        // Anything but a clear yes or no (a 5xx, a cold start timing out) is not cached and not a yes.
        var valid = response.IsSuccessStatusCode;
        if (valid || (int)response.StatusCode is 401 or 403)
        {
            if (answers.Count >= MaxCachedAnswers) answers.Clear();
            answers[hash] = (valid, now + options.KeyCheckCacheTime);
        }
        return valid;
    }
}
