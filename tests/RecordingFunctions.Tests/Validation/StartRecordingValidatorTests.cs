using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecordingFunctions.Hms;
using RecordingFunctions.Validation;

namespace RecordingFunctions.Tests.Validation;

public class StartRecordingValidatorTests
{
    private const string Room = "64a1b2c3d4e5f60718293a4b";

    private static StartRequestValidation Validate(string body, string room = Room) =>
        StartRequests.Validate(room, Encoding.UTF8.GetBytes(body));

    private static string Sections(int count, string title = "Agenda", string format = "bullets") =>
        $"{{\"transcription\":{{\"enabled\":true,\"summary\":{{\"enabled\":true,\"sections\":[{string.Join(",", Enumerable.Repeat($"{{\"title\":{JsonSerializer.Serialize(title)},\"format\":\"{format}\"}}", count))}]}}}}}}";

    private static string Summary(string field, string value) =>
        $"{{\"transcription\":{{\"enabled\":true,\"summary\":{{\"enabled\":true,\"{field}\":{value}}}}}}}";

    [Fact]
    public void The_documented_example_is_valid_and_fully_read()
    {
        var result = Validate("""
            {"meeting_url":"https://acme.app.100ms.live/preview/64a1b2c3d4e5f60718293a4b/beam?skip_preview=true",
             "resolution":{"width":1280,"height":720},"destination":"archive","audio_only":false,
             "transcription":{"enabled":true,"output_modes":["txt","srt","json"],"custom_vocabulary":["100ms","WebSDK"],
               "summary":{"enabled":true,"context":"weekly engineering sync","temperature":0.5,
                 "sections":[{"title":"Agenda","format":"bullets"},{"title":"Short Summary","format":"paragraph"}]}}}
            """);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var request = result.Request!;
        Assert.Equal(1280, request.Resolution!.Width);
        Assert.Equal("archive", request.Destination);
        Assert.False(request.AudioOnly);
        Assert.Equal(["txt", "srt", "json"], request.Transcription!.OutputModes);
        Assert.Equal(["100ms", "WebSDK"], request.Transcription.CustomVocabulary);
        Assert.Equal(0.5, request.Transcription.Summary!.Temperature);
        Assert.Equal("weekly engineering sync", request.Transcription.Summary.Context);
        Assert.Equal("paragraph", request.Transcription.Summary.Sections![1].Format);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n")]
    [InlineData("{}")]
    [InlineData("""{"meeting_url":null}""")]
    public void An_empty_body_means_no_options(string body)
    {
        var result = Validate(body);
        Assert.True(result.IsValid);
        Assert.Equal(new StartRecordingRequest(), result.Request);
    }

    [Theory]
    [InlineData(6, true)]
    [InlineData(7, false)]
    [InlineData(0, true)]
    public void At_most_six_sections(int count, bool valid)
    {
        var result = Validate(Sections(count));
        Assert.Equal(valid, result.IsValid);
        if (!valid) Assert.Contains(result.Errors, e => e.Path == "transcription.summary.sections" && e.Message.Contains("at most 6"));
    }

    [Theory]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public void Section_titles_are_at_most_100_characters(int length, bool valid)
    {
        var result = Validate(Sections(1, new string('t', length)));
        Assert.Equal(valid, result.IsValid);
        if (!valid) Assert.Contains(result.Errors, e => e.Path == "transcription.summary.sections[0].title" && e.Message.Contains("100"));
    }

    [Theory]
    [InlineData("""{"format":"bullets"}""", "transcription.summary.sections[0].title", "required")]
    [InlineData("""{"title":"  ","format":"bullets"}""", "transcription.summary.sections[0].title", "empty")]
    [InlineData("""{"title":"Agenda"}""", "transcription.summary.sections[0].format", "required")]
    [InlineData("""{"title":"Agenda","format":"table"}""", "transcription.summary.sections[0].format", "bullets or paragraph")]
    [InlineData("""{"title":"Agenda","format":"bullets","style":"x"}""", "transcription.summary.sections[0].style", "Unknown field")]
    [InlineData("\"Agenda\"", "transcription.summary.sections[0]", "object")]
    public void Sections_need_a_title_and_a_known_format(string section, string path, string words)
    {
        var result = Validate($"{{\"transcription\":{{\"enabled\":true,\"summary\":{{\"enabled\":true,\"sections\":[{section}]}}}}}}");
        Assert.Contains(result.Errors, e => e.Path == path && e.Message.Contains(words));
    }

    [Theory]
    [InlineData(300, true)]
    [InlineData(301, false)]
    public void Context_is_at_most_300_characters(int length, bool valid)
    {
        var result = Validate(Summary("context", JsonSerializer.Serialize(new string('c', length))));
        Assert.Equal(valid, result.IsValid);
        if (!valid) Assert.Contains(result.Errors, e => e.Path == "transcription.summary.context" && e.Message.Contains("300"));
    }

    [Fact]
    public void Context_counts_characters_not_utf16_units()
    {
        Assert.True(Validate(Summary("context", JsonSerializer.Serialize(string.Concat(Enumerable.Repeat("😀", 300))))).IsValid);
    }

    [Theory]
    [InlineData("0.1", true)]
    [InlineData("1.0", true)]
    [InlineData("0.5", true)]
    [InlineData("0.09", false)]
    [InlineData("1.01", false)]
    [InlineData("\"0.5\"", false)]
    [InlineData("1e400", false)]
    public void Temperature_is_from_0_1_to_1_0(string value, bool valid)
    {
        var result = Validate(Summary("temperature", value));
        Assert.Equal(valid, result.IsValid);
        if (!valid) Assert.Contains(result.Errors, e => e.Path == "transcription.summary.temperature");
    }

    [Theory]
    [InlineData("""["txt","srt","json"]""", null)]
    [InlineData("""["json"]""", null)]
    [InlineData("""["txt","vtt"]""", "transcription.output_modes[1]")]
    [InlineData("""["srt","srt"]""", "transcription.output_modes[1]")]
    [InlineData("""[]""", "transcription.output_modes")]
    [InlineData("\"txt\"", "transcription.output_modes")]
    [InlineData("[1]", "transcription.output_modes[0]")]
    public void Output_modes_are_txt_srt_json_without_repeats(string modes, string? errorPath)
    {
        var result = Validate($"{{\"transcription\":{{\"enabled\":true,\"output_modes\":{modes}}}}}");
        if (errorPath is null) Assert.True(result.IsValid);
        else Assert.Contains(result.Errors, e => e.Path == errorPath);
    }

    [Theory]
    [InlineData(1920, 1080, null)]
    [InlineData(500, 480, null)]
    [InlineData(1080, 1920, null)]
    [InlineData(500, 500, null)]
    [InlineData(1921, 1080, "resolution.width")]
    [InlineData(1920, 1081, "resolution.height")]
    [InlineData(499, 480, "resolution.width")]
    [InlineData(640, 479, "resolution.height")]
    [InlineData(1081, 1920, "resolution.width")]
    [InlineData(1080, 1921, "resolution.height")]
    [InlineData(500, 501, null)]
    [InlineData(499, 501, "resolution.width")]
    public void Resolution_is_within_100ms_bounds_for_its_orientation(int width, int height, string? errorPath)
    {
        var result = Validate($"{{\"resolution\":{{\"width\":{width},\"height\":{height}}}}}");
        if (errorPath is null) Assert.True(result.IsValid, string.Join("; ", result.Errors));
        else Assert.Contains(result.Errors, e => e.Path == errorPath);
    }

    [Theory]
    [InlineData("""{"meeting_url":""}""", "meeting_url")]
    [InlineData("""{"meeting_url":"relative/path"}""", "meeting_url")]
    [InlineData("""{"meeting_url":"ftp://host/x"}""", "meeting_url")]
    [InlineData("""{"meeting_url":42}""", "meeting_url")]
    [InlineData("""{"audio_only":"true"}""", "audio_only")]
    [InlineData("""{"resolution":{"width":"1280","height":720}}""", "resolution.width")]
    [InlineData("""{"resolution":{"width":1280}}""", "resolution.height")]
    [InlineData("""{"resolution":[1280,720]}""", "resolution")]
    [InlineData("""{"destination":""}""", "destination")]
    [InlineData("""{"transcription":true}""", "transcription")]
    [InlineData("""{"transcription":{"enabled":1}}""", "transcription.enabled")]
    [InlineData("""{"transcription":{"custom_vocabulary":["ok",""]}}""", "transcription.custom_vocabulary[1]")]
    [InlineData("""{"trancription":{}}""", "trancription")]
    [InlineData("""{"audio_only":true,"audio_only":false}""", "audio_only")]
    [InlineData("""{"transcription":{"enabled":false,"summary":{"enabled":true}}}""", "transcription.summary.enabled")]
    [InlineData("[]", "body")]
    [InlineData("\"text\"", "body")]
    [InlineData("{\"meeting_url\":", "body")]
    public void Wrong_types_and_unknown_fields_are_reported_on_their_path(string body, string path)
    {
        var result = Validate(body);
        Assert.False(result.IsValid);
        Assert.Null(result.Request);
        Assert.Contains(result.Errors, e => e.Path == path);
    }

    [Theory]
    [InlineData("64A1B2C3D4E5F60718293A4B")]
    [InlineData("64a1b2c3d4e5f60718293a4")]
    [InlineData("../../etc/passwd")]
    [InlineData("")]
    public void Room_ids_must_be_100ms_ids(string room)
    {
        Assert.Contains(Validate("{}", room).Errors, e => e.Path == "room_id");
    }

    [Fact]
    public void Every_violation_is_reported_at_once()
    {
        var result = Validate("""
            {"audio_only":"no","resolution":{"width":10,"height":10},"transcription":{"output_modes":["doc"],
             "summary":{"temperature":2,"sections":[{"title":"","format":"x"}]}},"extra":1}
            """, room: "bad");

        Assert.Equal(
            ["audio_only", "extra", "resolution.height", "resolution.width", "room_id", "transcription.output_modes[0]",
             "transcription.summary.sections[0].format", "transcription.summary.sections[0].title", "transcription.summary.temperature"],
            result.Errors.Select(e => e.Path).Distinct().Order());
    }

    [Fact]
    public void Deep_nesting_invalid_utf8_and_oversized_bodies_are_errors_not_exceptions()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"transcription\":", 40)) + "{}" + new string('}', 40);
        byte[] invalidUtf8 = [.. "{\"destination\":\""u8.ToArray(), 0xFF, 0xFE, .. "\"}"u8.ToArray()];
        var huge = Encoding.UTF8.GetBytes($"{{\"destination\":\"{new string('x', StartRecordingValidator.MaxBodyBytes)}\"}}");

        Assert.Contains(Validate(deep).Errors, e => e.Path == "body" && e.Message.Contains("deeper"));
        Assert.Contains(StartRequests.Validate(Room, invalidUtf8).Errors, e => e.Path == "body" && e.Message.Contains("UTF-8"));
        Assert.Contains(StartRequests.Validate(Room, huge).Errors, e => e.Path == "body" && e.Message.Contains("bytes"));
    }

    [Theory]
    [InlineData("""{"destination":"\ud800"}""")]
    [InlineData("""{"\udc00":1}""")]
    [InlineData("""{"transcription":{"summary":{"sections":[{"title":"\ud800x","format":"bullets"}]}}}""")]
    public void Lone_surrogate_escapes_are_errors_not_exceptions(string body)
    {
        Assert.False(Validate(body).IsValid);
    }

    [Fact]
    public void Error_messages_never_echo_long_input()
    {
        var longName = new string('k', 5000);
        var result = Validate($"{{\"{longName}\":1}}");

        Assert.All(result.Errors, e => Assert.True(e.Message.Length < 300, e.Message));
    }

    /// <summary>Seeded mutations of valid bodies: the validator never throws, and what it accepts is a faithful reading.</summary>
    [Fact]
    public void Two_thousand_mutated_bodies_never_throw_and_valid_ones_round_trip()
    {
        var random = new Random(20261125);
        var seeds = new[]
        {
            Sections(3), Summary("temperature", "0.7"), "{\"resolution\":{\"width\":1280,\"height\":720}}",
            "{\"meeting_url\":\"https://a.b/c\",\"audio_only\":true,\"transcription\":{\"enabled\":true,\"output_modes\":[\"txt\",\"json\"]}}",
        };
        var accepted = 0;
        for (var i = 0; i < 2000; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(seeds[random.Next(seeds.Length)]);
            for (var m = random.Next(1, 4); m > 0; m--) bytes = Mutate(bytes, random);

            var result = StartRequests.Validate(Room, bytes);

            if (!result.IsValid)
            {
                Assert.NotEmpty(result.Errors);
                continue;
            }
            accepted++;
            var reread = StartRequests.Validate(Room, JsonSerializer.SerializeToUtf8Bytes(result.Request, HmsJson.Options));
            Assert.True(reread.IsValid, $"case {i}: {Encoding.UTF8.GetString(bytes)}");
            Assert.Equal(JsonSerializer.Serialize(result.Request, HmsJson.Options), JsonSerializer.Serialize(reread.Request, HmsJson.Options));
        }
        Assert.InRange(accepted, 1, 1999);
    }

    private static byte[] Mutate(byte[] bytes, Random random)
    {
        var list = bytes.ToList();
        var at = random.Next(list.Count);
        switch (random.Next(5))
        {
            case 0: list.RemoveAt(at); break;
            case 1: list.Insert(at, (byte)random.Next(256)); break;
            case 2: list[at] = (byte)"{}[]\",:0123456789.-etruf n"[random.Next(26)]; break;
            case 3: list.InsertRange(at, Encoding.UTF8.GetBytes(new string('9', random.Next(1, 400)))); break;
            default:
                var node = JsonNode.Parse(bytes.Length > 0 && IsJson(bytes) ? bytes : "{}"u8.ToArray());
                if (node is JsonObject obj) obj["x" + random.Next(3)] = random.Next(2) == 0 ? null : JsonValue.Create(random.NextDouble());
                return Encoding.UTF8.GetBytes(node?.ToJsonString() ?? "null");
        }
        return [.. list];
    }

    private static bool IsJson(byte[] bytes)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) return false;
        try
        {
            JsonDocument.Parse(bytes).Dispose();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
