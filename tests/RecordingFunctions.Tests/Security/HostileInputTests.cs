using System.Net;
using System.Text;
using Microsoft.DurableTask.Client;
using RecordingFunctions.Tests.Infrastructure;
using RecordingFunctions.Validation;

namespace RecordingFunctions.Tests.Security;

/// <summary>
/// Seeded, reproducible fuzzing of the two public endpoints over HTTP: no answer is a 5xx, and only valid input
/// ever starts a pipeline.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HostileInputTests(AzuriteFixture azurite)
{
    private const int Seed = 7_2026;
    private const int Cases = 1000;

    private static readonly string[] Fragments =
    [
        "{}", "[]", "null", "true", "1e309", "\"\"", "{\"transcription\":{\"enabled\":true}}",
        "{\"transcription\":{\"summary\":{\"sections\":[]}}}", "{\"resolution\":{\"width\":1920,\"height\":1080}}",
        "{\"meeting_url\":\"https://a.b/c\"}", "{\"audio_only\":false}", "{\"destination\":\"d\"}",
    ];

    private static byte[] StartBody(Random random, int i) => (i % 10) switch
    {
        0 => Encoding.UTF8.GetBytes(new string('[', random.Next(1, 5000))),
        1 => [.. Encoding.UTF8.GetBytes("{\"destination\":\""), .. Enumerable.Range(0, random.Next(1, 50)).Select(_ => (byte)random.Next(0x80, 0x100)), .. "\"}"u8.ToArray()],
        2 => Encoding.UTF8.GetBytes($"{{\"destination\":\"{new string('x', random.Next(60_000, 70_000))}\"}}"),
        3 => Encoding.UTF8.GetBytes($"{{\"transcription\":{{\"enabled\":true,\"summary\":{{\"enabled\":true,\"temperature\":{(random.Next(2) == 0 ? 0.1 : 1.0) + (random.Next(3) - 1) * 0.01:0.00}}}}}}}"),
        4 => Encoding.UTF8.GetBytes($"{{\"{(char)('a' + random.Next(26))}{random.Next()}\":{Fragments[random.Next(Fragments.Length)]}}}"),
        5 => Encoding.UTF8.GetBytes($"{{\"resolution\":{{\"width\":{random.Next(-10, 3000)},\"height\":{random.Next(-10, 3000)}}}}}"),
        6 => Encoding.UTF8.GetBytes($"{{\"transcription\":{{\"output_modes\":[{string.Join(",", Enumerable.Range(0, random.Next(0, 5)).Select(_ => $"\"{new[] { "txt", "srt", "json", "vtt", "" }[random.Next(5)]}\""))}]}}}}"),
        7 => Encoding.UTF8.GetBytes($"{{\"audio_only\":{Fragments[random.Next(Fragments.Length)]},\"meeting_url\":{Fragments[random.Next(Fragments.Length)]}}}"),
        8 => Mutate(Encoding.UTF8.GetBytes(Fragments[random.Next(Fragments.Length)]), random),
        _ => Encoding.UTF8.GetBytes(Fragments[random.Next(Fragments.Length)]),
    };

    private static byte[] Mutate(byte[] bytes, Random random)
    {
        var list = bytes.ToList();
        for (var m = random.Next(1, 4); m > 0 && list.Count > 0; m--)
        {
            var at = random.Next(list.Count);
            if (random.Next(2) == 0) list.RemoveAt(at);
            else list.Insert(at, (byte)"{}[]\",:\\u0009e"[random.Next(14)]);
        }
        return [.. list];
    }

    [Fact]
    public async Task A_thousand_generated_start_requests_get_no_5xx_and_only_valid_ones_start_a_pipeline()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var random = new Random(Seed);
        var accepted = 0;
        var statuses = new Dictionary<HttpStatusCode, int>();
        for (var i = 0; i < Cases; i++)
        {
            var room = random.Next(8) == 0 ? "ROOM" + random.Next() : harness.NewRoomId();
            var body = StartBody(random, i);
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using var response = await harness.Api.PostAsync($"api/rooms/{Uri.EscapeDataString(room)}/recordings", content);

            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            Assert.True((int)response.StatusCode < 500, $"case {i} (seed {Seed}) answered {(int)response.StatusCode}");
            var valid = StartRecordingValidator.Validate(room, body).IsValid;
            Assert.True(valid == (response.StatusCode == HttpStatusCode.Accepted), $"case {i}: valid={valid}, answer {(int)response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.Accepted) accepted++;
        }

        var instances = await harness.Durable.GetAllInstancesAsync(new OrchestrationQuery()).CollectAsync();
        Assert.Equal(accepted, instances.Count);
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.BadRequest) > Cases / 2, string.Join(", ", statuses));
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.RequestEntityTooLarge) > 0, string.Join(", ", statuses));
    }

    [Fact]
    public async Task A_thousand_generated_webhook_requests_get_no_5xx_and_wrong_secrets_get_401()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var random = new Random(Seed + 1);
        var counts = new Dictionary<HttpStatusCode, int>();
        for (var i = 0; i < Cases; i++)
        {
            var secret = (i % 4) switch { 0 => null, 1 => "wrong", 2 => PipelineHarness.WebhookSecret + " ", _ => PipelineHarness.WebhookSecret };
            var body = (i / 4 % 6) switch
            {
                0 => Mutate(Encoding.UTF8.GetBytes("""{"version":"2.0","id":"e","type":"beam.failure","data":{"room_id":"64a1b2c3d4e5f60718293a4b"}}"""), random),
                1 => Encoding.UTF8.GetBytes($"{{\"id\":{Fragments[random.Next(Fragments.Length)]},\"type\":{Fragments[random.Next(Fragments.Length)]},\"data\":{Fragments[random.Next(Fragments.Length)]}}}"),
                2 => Encoding.UTF8.GetBytes($"{{\"id\":\"{Guid.NewGuid()}\",\"type\":\"transcription.success\",\"data\":{{\"room_id\":\"{new string('a', random.Next(0, 40))}\",\"duration\":{Fragments[random.Next(Fragments.Length)]}}}}}"),
                3 => Encoding.UTF8.GetBytes($"{{\"id\":\"{new string('i', random.Next(200_000, 300_000))}\",\"type\":\"x\"}}"),
                4 => [.. Enumerable.Range(0, random.Next(1, 200)).Select(_ => (byte)random.Next(256))],
                _ => Encoding.UTF8.GetBytes($"{{\"id\":\"{Guid.NewGuid()}\",\"type\":\"peer.join.success\",\"data\":{{}}}}"),
            };
            var request = new HttpRequestMessage(HttpMethod.Post, "api/webhooks/100ms") { Content = new ByteArrayContent(body) };
            if (secret is not null) request.Headers.TryAddWithoutValidation("X-100ms-Key", secret);
            using var response = await harness.Api.SendAsync(request);

            counts[response.StatusCode] = counts.GetValueOrDefault(response.StatusCode) + 1;
            Assert.True((int)response.StatusCode < 500, $"case {i} (seed {Seed + 1}) answered {(int)response.StatusCode}");
            if (secret != PipelineHarness.WebhookSecret && secret != PipelineHarness.WebhookSecret + " ")
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        Assert.True(counts.GetValueOrDefault(HttpStatusCode.BadRequest) > 0 && counts.GetValueOrDefault(HttpStatusCode.OK) > 0
            && counts.GetValueOrDefault(HttpStatusCode.RequestEntityTooLarge) > 0, string.Join(", ", counts));
    }
}
