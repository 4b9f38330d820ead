using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Extensions.Options;
using RecordingFunctions.Hms;
using RecordingFunctions.HmsSimulator;

namespace RecordingFunctions.Tests.Hms;

/// <summary>The client's token, error mapping and secrecy, against the simulator's fault injection and closed ports.</summary>
public sealed class HmsClientTests : IAsyncLifetime
{
    private HmsSimulatorHost simulator = null!;

    public async Task InitializeAsync() => simulator = await HmsSimulatorHost.StartAsync();

    public async Task DisposeAsync() => await simulator.DisposeAsync();

    private HmsOptions Keys => new() { AccessKey = simulator.Options.AccessKey, AppSecret = simulator.Options.AppSecret };

    [Fact]
    public async Task Minted_tokens_carry_100ms_management_claims_signed_with_the_app_secret()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-11-25T10:00:00Z"));
        var provider = Provider(Keys, clock);

        var token = await provider.GetTokenAsync(false, default);

        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(simulator.Options.AppSecret)),
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
        });
        Assert.True(validation.IsValid);
        var jwt = new JsonWebToken(token);
        Assert.Equal("HS256", jwt.Alg);
        Assert.Equal(simulator.Options.AccessKey, jwt.GetClaim("access_key").Value);
        Assert.Equal("management", jwt.GetClaim("type").Value);
        Assert.Equal("2", jwt.GetClaim("version").Value);
        Assert.True(Guid.TryParse(jwt.GetClaim("jti").Value, out _));
        Assert.Equal(clock.Now.AddSeconds(-30).UtcDateTime, jwt.IssuedAt);
        Assert.Equal(jwt.IssuedAt, jwt.ValidFrom);
        Assert.Equal(jwt.IssuedAt.AddHours(24), jwt.ValidTo);
    }

    [Fact]
    public async Task An_app_secret_shorter_than_32_bytes_still_signs_a_valid_hs256_token()
    {
        const string shortSecret = "short-secret-20bytes";
        var provider = Provider(new HmsOptions { AccessKey = simulator.Options.AccessKey, AppSecret = shortSecret }, TimeProvider.System);

        var token = await provider.GetTokenAsync(false, default);

        var parts = token.Split('.');
        var expected = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(shortSecret), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        Assert.Equal(Base64UrlEncoder.Encode(expected), parts[2]);
    }

    [Fact]
    public async Task Tokens_are_cached_and_reminted_shortly_before_they_expire()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-11-25T10:00:00Z"));
        var provider = Provider(Keys with { TokenLifetime = TimeSpan.FromHours(1) }, clock);

        var first = await provider.GetTokenAsync(false, default);
        clock.Now += TimeSpan.FromMinutes(50);
        var cached = await provider.GetTokenAsync(false, default);
        clock.Now += TimeSpan.FromMinutes(5);
        var renewed = await provider.GetTokenAsync(false, default);
        var forced = await provider.GetTokenAsync(true, default);

        Assert.Equal(first, cached);
        Assert.NotEqual(first, renewed);
        Assert.NotEqual(renewed, forced);
    }

    [Fact]
    public async Task No_credentials_is_a_clear_error_without_an_http_call()
    {
        var (client, _) = HmsTestClients.Create(simulator.ApiUrl, new HmsOptions());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.ListRecordingsAsync(new RecordingListQuery()));

        Assert.Contains("access key", error.Message);
        Assert.Equal(0, simulator.Engine.CallsTo(Endpoints.ListRecordings));
    }

    [Theory]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    public async Task Error_answers_become_one_exception_that_says_whether_to_retry(int status, bool retryable)
    {
        simulator.Engine.SetFaults(new FaultSettings { Endpoints = [new EndpointFault { Endpoint = Endpoints.GetRecording, Status = status, Message = "scripted failure" }] });
        var (client, _) = HmsTestClients.Create(simulator.ApiUrl, Keys);

        var error = await Assert.ThrowsAsync<HmsApiException>(() => client.GetRecordingAsync(simulator.Engine.NewId()));

        Assert.Equal(status, error.StatusCode);
        Assert.Equal(status, error.Code);
        Assert.Equal("scripted failure", error.HmsMessage);
        Assert.Equal(retryable, error.IsRetryable);
        Assert.StartsWith("100ms GET recordings/", error.Message);
    }

    [Fact]
    public async Task Error_details_are_kept()
    {
        var (client, _) = HmsTestClients.Create(simulator.ApiUrl, Keys);

        var error = await Assert.ThrowsAsync<HmsApiException>(() => client.ListRecordingsAsync(new RecordingListQuery { Limit = 500 }));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("Invalid query param", error.HmsMessage);
        Assert.Contains(error.Details, d => d.Contains("limit"));
    }

    [Fact]
    public async Task A_refused_connection_is_a_retryable_failure_without_status()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var (client, _) = HmsTestClients.Create(new Uri($"http://127.0.0.1:{port}/v2/"), Keys);

        var error = await Assert.ThrowsAsync<HmsApiException>(() => client.ListRecordingsAsync(new RecordingListQuery()));

        Assert.Null(error.StatusCode);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public async Task A_timeout_is_retryable_but_a_cancellation_by_the_caller_is_not_wrapped()
    {
        simulator.Engine.SetFaults(new FaultSettings { DownloadBytesPerSecond = 1 });
        using var slowServer = new TcpListener(IPAddress.Loopback, 0);
        slowServer.Start();
        var url = new Uri($"http://127.0.0.1:{((IPEndPoint)slowServer.LocalEndpoint).Port}/v2/");
        var (client, _) = HmsTestClients.Create(url, Keys, timeout: TimeSpan.FromMilliseconds(300));

        var timeout = await Assert.ThrowsAsync<HmsApiException>(() => client.ListRecordingsAsync(new RecordingListQuery()));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var (patient, _) = HmsTestClients.Create(url, Keys, timeout: TimeSpan.FromSeconds(30));
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => patient.ListRecordingsAsync(new RecordingListQuery(), cancel.Token));

        Assert.Null(timeout.StatusCode);
        Assert.True(timeout.IsRetryable);
        Assert.NotNull(cancelled);
    }

    [Fact]
    public async Task Ids_that_are_not_100ms_ids_never_reach_a_url()
    {
        var (client, _) = HmsTestClients.Create(simulator.ApiUrl, Keys);

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetRecordingAsync("../../admin/reset"));
        await Assert.ThrowsAsync<ArgumentException>(() => client.StartRecordingAsync("64a1b2c3d4e5f60718293a4b/../x", new StartRecordingRequest()));

        Assert.Equal(0, simulator.Engine.CallsTo(Endpoints.GetRecording) + simulator.Engine.CallsTo(Endpoints.Start));
    }

    [Fact]
    public async Task The_token_and_the_app_secret_appear_in_no_exception_and_no_log_line()
    {
        var logger = new CapturingLogger<HmsClient>();
        var keys = Keys with { AppSecret = simulator.Options.AppSecret };
        var (client, tokens) = HmsTestClients.Create(simulator.ApiUrl, keys, logger);
        var token = await tokens.GetTokenAsync(false, default);
        simulator.Engine.SetFaults(new FaultSettings
        {
            Endpoints = [new EndpointFault { Endpoint = Endpoints.GetRecording, Status = 401, Count = 2 }, new EndpointFault { Endpoint = Endpoints.Start, Status = 500 }],
        });

        var errors = new List<Exception>
        {
            await Assert.ThrowsAsync<HmsApiException>(() => client.GetRecordingAsync(simulator.Engine.NewId())),
            await Assert.ThrowsAsync<HmsApiException>(() => client.StartRecordingAsync(simulator.Engine.NewId(), new StartRecordingRequest())),
        };
        var presigned = new HmsPresignedUrl { Id = "x", Url = "https://storage.example/file?sig=SECRET-SIGNATURE" };

        var texts = errors.Select(e => e.ToString()).Concat(logger.Lines).Append(presigned.ToString()).Append(keys.ToString()).ToList();
        Assert.NotEmpty(logger.Lines);
        Assert.All(texts, text =>
        {
            Assert.DoesNotContain(token, text);
            Assert.DoesNotContain(token.Split('.')[2], text);
            Assert.DoesNotContain(simulator.Options.AppSecret, text);
            Assert.DoesNotContain("SECRET-SIGNATURE", text);
        });
    }

    private HmsManagementTokenProvider Provider(HmsOptions options, TimeProvider clock) =>
        new(new ConfigurationSecretStore(new HmsTestClients.StaticOptionsMonitor<HmsOptions>(options)), Options.Create(options), clock);
}
