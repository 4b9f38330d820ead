using System.Net;
using System.Text;
using Microsoft.DurableTask.Client;
using RecordingFunctions.HmsSimulator;
using RecordingFunctions.Tests.Support;
using RecordingFunctions.Tests.Validation;

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
            var valid = StartRequests.Validate(room, body).IsValid;
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
            if (secret is not null) request.Headers.TryAddWithoutValidation(LocalStack.WebhookHeader, secret);
            using var response = await harness.Api.SendAsync(request);

            counts[response.StatusCode] = counts.GetValueOrDefault(response.StatusCode) + 1;
            Assert.True((int)response.StatusCode < 500, $"case {i} (seed {Seed + 1}) answered {(int)response.StatusCode}");
            if (secret != PipelineHarness.WebhookSecret && secret != PipelineHarness.WebhookSecret + " ")
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        Assert.True(counts.GetValueOrDefault(HttpStatusCode.BadRequest) > 0 && counts.GetValueOrDefault(HttpStatusCode.OK) > 0
            && counts.GetValueOrDefault(HttpStatusCode.RequestEntityTooLarge) > 0, string.Join(", ", counts));
    }

    [Fact]
    public async Task Generated_calendar_pushes_and_pipeline_ids_get_no_5xx_and_only_readable_feeds_schedule()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.ConnectionString);
        var random = new Random(Seed + 2);
        var room = harness.NewRoomId();
        var start = DateTimeOffset.UtcNow.Date.AddDays(2).AddHours(9);
        var valid = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//fuzz//EN\r\nBEGIN:VEVENT\r\nUID:fuzz\r\nDTSTAMP:20260101T000000Z\r\n"
            + $"DTSTART:{start:yyyyMMdd'T'HHmmss'Z'}\r\nDURATION:PT30M\r\nRRULE:FREQ=DAILY;COUNT=3\r\nDESCRIPTION:100ms-room-id: {room}\\n100ms-output-modes: txt\r\n"
            + "END:VEVENT\r\nEND:VCALENDAR\r\n";
        string[] lines = ["BEGIN:VEVENT", "END:VEVENT", "RRULE:FREQ=SECONDLY", "RRULE:FREQ=DAILY;UNTIL=garbage", "DTSTART;TZID=Mars/Olympus:20261201T100000",
            "DESCRIPTION:100ms-summary-sections: " + string.Join("; ", Enumerable.Repeat("x (bullets)", 9)), "DESCRIPTION:100ms-resolution: 99999x1",
            "EXDATE:" + start.ToString("yyyyMMdd'T'HHmmss'Z'"), "STATUS:CANCELLED", "BEGIN:VCALENDAR", "\u0000", "DTEND:19700101T000000Z"];

        var counts = new Dictionary<HttpStatusCode, int>();
        var scheduled = new HashSet<string>();
        for (var i = 0; i < 300; i++)
        {
            var feed = random.Next(10) == 0 ? new string('f', random.Next(60, 70)) + "/.." : "fuzz" + random.Next(3);
            var body = (i % 5) switch
            {
                0 => valid,
                1 => string.Join("\r\n", valid.Split("\r\n").Where(_ => random.Next(6) != 0)),
                2 => valid.Insert(valid.IndexOf("END:VEVENT", StringComparison.Ordinal), lines[random.Next(lines.Length)] + "\r\n"),
                3 => Encoding.Latin1.GetString([.. Enumerable.Range(0, random.Next(1, 300)).Select(_ => (byte)random.Next(256))]),
                _ => Encoding.UTF8.GetString(Mutate(Encoding.UTF8.GetBytes(valid), random)),
            };
            using var response = await harness.Api.PostAsync($"api/calendar/sync?feed={Uri.EscapeDataString(feed)}", new StringContent(body, Encoding.UTF8, "text/calendar"));

            counts[response.StatusCode] = counts.GetValueOrDefault(response.StatusCode) + 1;
            Assert.True((int)response.StatusCode < 500, $"case {i} (seed {Seed + 2}) answered {(int)response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var report = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                scheduled.UnionWith(report["feeds"]![0]!["scheduled"]!.AsArray().Select(id => id!.GetValue<string>()));
            }
        }
        Assert.True(counts.GetValueOrDefault(HttpStatusCode.OK) > 0 && counts.GetValueOrDefault(HttpStatusCode.BadRequest) > 0, string.Join(", ", counts));
        var instances = await harness.Durable.GetAllInstancesAsync(new OrchestrationQuery()).CollectAsync();
        // A pipeline the calendar cancelled comes back under the same id when its meeting does: one id per occurrence.
        Assert.Equal(scheduled.Order(), instances.Select(i => i.InstanceId).Order());
        Assert.InRange(instances.Count, 1, 3 * 3);

        string[] ids = ["x", "../../admin", new string('a', 5000), $"{room}-{new string('0', 32)}", $"{room}-%2e%2e", "%00", instances[0].InstanceId.ToUpperInvariant()];
        foreach (var id in ids)
        {
            using var stop = await harness.Api.PostAsync($"api/recordings/{Uri.EscapeDataString(id)}/stop", null);
            using var cancel = await harness.Api.DeleteAsync($"api/recordings/{Uri.EscapeDataString(id)}");
            Assert.True(stop.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"stop {id[..Math.Min(id.Length, 40)]}: {stop.StatusCode}");
            Assert.True(cancel.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"cancel {id[..Math.Min(id.Length, 40)]}: {cancel.StatusCode}");
        }
    }
}
