using System.Text;
using RecordingFunctions.Pipeline;
using RecordingFunctions.Validation;

namespace RecordingFunctions.Tests.Validation;

/// <summary>The schedule fields of a start body, checked against a fixed clock.</summary>
public class ScheduleValidationTests
{
    private const string Room = "64a0000000000000000000aa";
    private static readonly DateTimeOffset Now = new(2026, 3, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly ScheduleLimits Limits = new(Now, TimeSpan.FromHours(4));

    private static StartRequestValidation Validate(string body) => StartRecordingValidator.Validate(Room, Encoding.UTF8.GetBytes(body), Limits);

    [Fact]
    public void Start_and_duration_give_the_stop_time_in_utc()
    {
        var result = Validate("""{"start_at":"2026-03-31T10:00:00+02:00","duration":"PT1H30M"}""");

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(new DateTimeOffset(2026, 3, 31, 8, 0, 0, TimeSpan.Zero), result.Schedule!.StartAt);
        Assert.Equal(TimeSpan.Zero, result.Schedule.StartAt!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2026, 3, 31, 9, 30, 0, TimeSpan.Zero), result.Schedule.StopAt);
        Assert.Equal(5400, result.Schedule.DurationSeconds);
    }

    [Theory]
    [InlineData("3600", 3600)]
    [InlineData("\"PT45S\"", 45)]
    [InlineData("\"PT1H\"", 3600)]
    [InlineData("\"PT0.5H\"", -1)]
    [InlineData("\"PT2M30.9S\"", 150)]
    [InlineData("\"P0DT3H\"", 10800)]
    public void Duration_is_seconds_or_an_iso_8601_duration(string duration, int expectedSeconds)
    {
        var result = Validate($$"""{"duration":{{duration}}}""");

        if (expectedSeconds < 0) Assert.Contains(result.Errors, e => e.Path == "duration");
        else Assert.Equal(expectedSeconds, result.Schedule!.DurationSeconds);
        if (expectedSeconds >= 0) Assert.Null(result.Schedule!.StartAt);
    }

    [Theory]
    [InlineData("""{"start_at":"2026-03-28T12:00:00Z"}""", "start_at", "must be in the future")]
    [InlineData("""{"start_at":"2026-03-28T11:00:00-00:30"}""", "start_at", "must be in the future")]
    [InlineData("""{"start_at":"2026-03-31T10:00:00"}""", "start_at", "RFC 3339")]
    [InlineData("""{"start_at":"31/03/2026 10:00"}""", "start_at", "RFC 3339")]
    [InlineData("""{"start_at":1774951200}""", "start_at", "must be a string")]
    [InlineData("""{"start_at":"2028-03-31T10:00:00Z"}""", "start_at", "366 days")]
    [InlineData("""{"duration":0}""", "duration", "at least 1 second")]
    [InlineData("""{"duration":-5}""", "duration", "at least 1 second")]
    [InlineData("""{"duration":1.5}""", "duration", "whole seconds")]
    [InlineData("""{"duration":"P1M"}""", "duration", "ISO 8601")]
    [InlineData("""{"duration":"PT"}""", "duration", "ISO 8601")]
    [InlineData("""{"duration":"PT4H1S"}""", "duration", "at most 4 h")]
    [InlineData("""{"stop_at":"2026-03-28T11:59:59Z"}""", "stop_at", "must be in the future")]
    [InlineData("""{"start_at":"2026-03-29T10:00:00Z","stop_at":"2026-03-29T09:00:00Z"}""", "stop_at", "after start_at")]
    [InlineData("""{"start_at":"2026-03-29T10:00:00Z","stop_at":"2026-03-29T14:00:01Z"}""", "stop_at", "at most 4 h after start_at")]
    [InlineData("""{"duration":60,"stop_at":"2026-03-29T09:00:00Z"}""", "stop_at", "not both")]
    public void Bad_times_name_the_field_and_the_limit(string body, string path, string message)
    {
        var result = Validate(body);

        Assert.False(result.IsValid);
        Assert.Null(result.Request);
        Assert.Contains(result.Errors, e => e.Path == path && e.Message.Contains(message));
    }

    [Fact]
    public void A_body_without_times_has_no_schedule_and_the_limit_follows_the_configured_maximum()
    {
        Assert.Null(Validate("""{"audio_only":true}""").Schedule);
        var longer = StartRecordingValidator.Validate(Room, Encoding.UTF8.GetBytes("""{"duration":"PT6H"}"""), Limits with { MaxRecordingDuration = TimeSpan.FromHours(12) });
        Assert.True(longer.IsValid);
        Assert.Equal(6 * 3600, longer.Schedule!.DurationSeconds);
    }
}
