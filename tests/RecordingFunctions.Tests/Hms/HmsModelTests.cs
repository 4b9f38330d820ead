using System.Text;
using System.Text.Json;
using RecordingFunctions.Hms;

namespace RecordingFunctions.Tests.Hms;

/// <summary>Tolerant reading of what 100ms sends: its documented shapes, and the variants the docs leave open.</summary>
public class HmsModelTests
{
    [Fact]
    public void Recordings_read_with_nanosecond_times_nulls_and_unknown_fields()
    {
        const string json = """
            {"id":"642531cf94091a5af841456d","room_id":"642531cf94091a5af841456e","session_id":"642531cf94091a5af841456f",
             "status":"completed","created_at":"2023-03-30T05:14:04.007990308Z","started_at":"2023-03-30T06:53:03.67Z",
             "stopped_at":1680159300,"updated_at":"","started_by":"","brand_new_field":{"x":[1,2]},
             "asset_types":["room-composite","transcript"],
             "recording_assets":[{"id":"642531cf94091a5af8414570","type":"transcript","status":"completed","size":"739",
               "duration":100,"metadata":{"output_mode":"txt"},"thumbnails":null}]}
            """;

        var recording = JsonSerializer.Deserialize<HmsRecording>(json, HmsJson.Options)!;

        Assert.Equal(new DateTimeOffset(2023, 3, 30, 5, 14, 4, TimeSpan.Zero).AddTicks(79903), recording.CreatedAt);
        Assert.Equal(new DateTimeOffset(2023, 3, 30, 6, 53, 3, 670, TimeSpan.Zero), recording.StartedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1680159300), recording.StoppedAt);
        Assert.Null(JsonSerializer.Deserialize<HmsRecording>("""{"id":"x","stopped_at":""}""", HmsJson.Options)!.StoppedAt);
        var asset = Assert.Single(recording.RecordingAssets!);
        Assert.Equal(739, asset.Size);
        Assert.Equal("txt", asset.Metadata!.OutputMode);
    }

    [Theory]
    [InlineData("transcription.failure")]
    [InlineData("transcription.failed")]
    public void Both_names_of_the_transcription_failure_are_recognised(string type)
    {
        var body = $$$"""
            {"version":"2.0","id":"0b6c1c62-3a55-4c3e-9f3e-6e7d2c1f0a11","timestamp":"2023-06-15T06:17:39Z","type":"{{{type}}}",
             "data":{"recording_id":"648aabbcafd9fc711c815200","room_id":"648aabbcafd9fc711c815201","duration":"23","summary_json_asset_id":"64899f07651605b7aadc2579","summary_json_presigned_url":"https://x.example/s?sig=1"}}
            """;

        Assert.True(HmsWebhookEvent.TryParse(Encoding.UTF8.GetBytes(body), out var hmsEvent, out _));

        Assert.True(HmsWebhookEventTypes.IsTranscriptionFailure(hmsEvent.Type));
        Assert.True(HmsWebhookEventTypes.IsPipelineEvent(hmsEvent.Type));
        Assert.Equal(23, hmsEvent.Data.Duration);
        Assert.Equal(new DateTimeOffset(2023, 6, 15, 6, 17, 39, TimeSpan.Zero), hmsEvent.Timestamp);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{\"type\":\"beam.failure\"}")]
    [InlineData("{\"id\":\"x\"}")]
    [InlineData("{\"id\":\"x\",\"type\":\"beam.failure\",\"data\":{\"duration\":{}}}")]
    [InlineData("{\"id\":\"x\",\"type\":\"beam.failure\",\"data\":[]}")]
    [InlineData("{\"id\":1,\"type\":\"beam.failure\"}")]
    [InlineData("{not json")]
    public void Malformed_webhooks_are_refused_with_a_reason_never_an_exception(string body)
    {
        Assert.False(HmsWebhookEvent.TryParse(Encoding.UTF8.GetBytes(body), out var hmsEvent, out var error));
        Assert.Null(hmsEvent);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Invalid_utf8_in_a_webhook_is_refused()
    {
        byte[] body = [.. "{\"id\":\""u8.ToArray(), 0xC3, 0x28, .. "\",\"type\":\"x\"}"u8.ToArray()];

        Assert.False(HmsWebhookEvent.TryParse(body, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("""{"summary":{"sections":[{"title":"Agenda","format":"bullets","bullets":["a","b"],"paragraph":""}]}}""")]
    [InlineData("""{"sections":[{"title":"Agenda","format":"bullets","bullets":["a","b"],"paragraph":""}]}""")]
    public void Both_summary_shapes_are_read(string json)
    {
        var summary = HmsSummary.Parse(Encoding.UTF8.GetBytes(json));

        var section = Assert.Single(summary.Sections);
        Assert.Equal("Agenda", section.Title);
        Assert.Equal(["a", "b"], section.Bullets);
    }

    [Fact]
    public void Summary_sections_with_null_missing_or_odd_fields_are_read_and_rendered_without_losing_text()
    {
        var summary = HmsSummary.Parse("""
            {"sections":[{"title":null,"format":"bullets","bullets":null},{"title":"Notes","paragraph":"Said."},
                         {"title":"Mixed","format":"table","bullets":["x",null,7],"paragraph":"Both.","extra":{"k":1}}],"extra":true}
            """u8);
        var markdown = RecordingFunctions.Storage.SummaryMarkdown.Render(summary);

        Assert.Equal(3, summary.Sections.Count);
        Assert.Equal(["x", "7"], summary.Sections[2].Bullets);
        Assert.Contains("## Untitled\n\n_Nothing noted._", markdown);
        Assert.Contains("## Notes\n\nSaid.", markdown);
        Assert.Contains("- x\n- 7\n", markdown);
        Assert.Contains("Both.", markdown);
    }

    [Theory]
    [InlineData("56")]
    [InlineData("56.0")]
    [InlineData("\"56\"")]
    [InlineData("55.6")]
    public void Webhook_numbers_are_read_as_integers_or_decimals_or_strings(string duration)
    {
        var json = $$"""{"id":"e1","type":"beam.recording.success","timestamp":"2026-12-02T10:00:29.462240675Z","data":{"duration":{{duration}},"size":"2048.0"} }""";

        Assert.True(HmsWebhookEvent.TryParse(Encoding.UTF8.GetBytes(json), out var parsed, out var error), error);
        Assert.Equal(56, parsed.Data.Duration);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 10, 0, 29, TimeSpan.Zero).AddTicks(4622406), parsed.Timestamp);
    }

    [Fact]
    public void Stream_events_keep_how_many_rtmp_destinations_they_name_but_not_their_urls()
    {
        var json = """{"id":"e2","type":"beam.failure","is_replay":true,"data":{"recording_enabled":false,"rtmp":[{"url":"rtmp://x/app/secret-key"},{"url":"rtmp://y"}]}}"""u8;

        Assert.True(HmsWebhookEvent.TryParse(json, out var parsed, out _));
        Assert.Equal(2, parsed.Data.RtmpDestinations);
        Assert.False(parsed.Data.RecordingEnabled);
        Assert.True(parsed.IsReplay);
        Assert.DoesNotContain("secret-key", parsed.ToString());
    }

    [Fact]
    public void A_summary_without_sections_is_an_error()
    {
        Assert.Throws<JsonException>(() => HmsSummary.Parse("""{"summary":{}}"""u8));
    }

    [Fact]
    public void Transcript_times_are_read_as_strings_or_numbers()
    {
        var transcript = HmsTranscript.Parse("""
            {"words":[{"word":"Hello","name":"John","peer_id":"p","start_time":"1010","end_time":1570}],
             "sentences":[{"sentence":"Hello.","name":"John","start_time":1010,"end_time":"12870"}]}
            """u8);

        Assert.Equal(1010, transcript.Words[0].StartTime);
        Assert.Equal(1570, transcript.Words[0].EndTime);
        Assert.Equal(12870, transcript.Sentences[0].EndTime);
    }

    [Fact]
    public void Start_requests_are_written_in_snake_case_without_nulls()
    {
        var json = JsonSerializer.Serialize(new StartRecordingRequest
        {
            AudioOnly = true,
            Transcription = new TranscriptionSettings { OutputModes = ["txt"], CustomVocabulary = ["100ms"] },
        }, HmsJson.Options);

        Assert.Equal("""{"audio_only":true,"transcription":{"output_modes":["txt"],"custom_vocabulary":["100ms"]}}""", json);
    }
}
