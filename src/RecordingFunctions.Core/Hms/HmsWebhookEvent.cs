using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecordingFunctions.Hms;

/// <summary>The envelope 100ms posts to the webhook URL, for every event type.</summary>
public sealed record HmsWebhookEvent
{
    /// <summary>The event's id (a UUID): retries of one delivery share it.</summary>
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("timestamp"), JsonConverter(typeof(HmsTimestampConverter))] public DateTimeOffset? Timestamp { get; init; }
    /// <summary>One of <see cref="HmsWebhookEventTypes"/>, or any other 100ms event.</summary>
    [JsonPropertyName("type")] public string Type { get; init; } = "";
    /// <summary>True when 100ms's replay API re-sends a past delivery (with a new <see cref="Id"/>).</summary>
    [JsonPropertyName("is_replay")] public bool? IsReplay { get; init; }
    [JsonPropertyName("data")] public HmsWebhookEventData Data { get; init; } = new();

    /// <summary>Reads an event; false with a reason for anything that is not a 100ms envelope. Never throws.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out HmsWebhookEvent? hmsEvent, out string error)
    {
        hmsEvent = null;
        try
        {
            var parsed = JsonSerializer.Deserialize<HmsWebhookEvent>(utf8Json, ReadOptions);
            if (parsed is null) error = "the body is not a JSON object";
            else if (string.IsNullOrWhiteSpace(parsed.Id)) error = "the event has no id";
            else if (string.IsNullOrWhiteSpace(parsed.Type)) error = "the event has no type";
            else
            {
                hmsEvent = parsed;
                error = "";
                return true;
            }
        }
        catch (JsonException e)
        {
            error = $"the body is not a valid 100ms event: {e.Message}";
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            error = "the body is not valid UTF-8 JSON";
        }
        return false;
    }

    private static readonly JsonSerializerOptions ReadOptions = new(HmsJson.Options) { MaxDepth = 32 };
}

/// <summary>The fields of an event's <c>data</c> that RecordingFunctions uses; each is optional.</summary>
public sealed record HmsWebhookEventData
{
    [JsonPropertyName("room_id")] public string? RoomId { get; init; }
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("recording_id")] public string? RecordingId { get; init; }
    [JsonPropertyName("beam_id")] public string? BeamId { get; init; }
    [JsonPropertyName("job_id")] public string? JobId { get; init; }
    /// <summary>On <c>beam.*</c> events: false for an RTMP stream that records nothing.</summary>
    [JsonPropertyName("recording_enabled")] public bool? RecordingEnabled { get; init; }
    /// <summary>How many RTMP destinations a streaming job's event lists (their URLs carry stream keys and are not kept).</summary>
    [JsonPropertyName("rtmp"), JsonConverter(typeof(HmsArrayCountConverter))] public int? RtmpDestinations { get; init; }
    [JsonPropertyName("is_replay")] public bool? IsReplay { get; init; }
    /// <summary>Seconds recorded (or transcribed).</summary>
    [JsonPropertyName("duration")] public int? Duration { get; init; }
    /// <summary>Why a beam stopped: <c>client request</c>, <c>max duration reached</c>, <c>room ended</c>, ...</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    [JsonPropertyName("error_type")] public string? ErrorType { get; init; }
    [JsonPropertyName("error_message")] public string? ErrorMessage { get; init; }
}

/// <summary>The 100ms event names RecordingFunctions acts on.</summary>
public static class HmsWebhookEventTypes
{
    public const string BeamStartedSuccess = "beam.started.success";
    public const string BeamStoppedSuccess = "beam.stopped.success";
    public const string BeamRecordingSuccess = "beam.recording.success";
    public const string BeamFailure = "beam.failure";
    public const string TranscriptionStartedSuccess = "transcription.started.success";
    public const string TranscriptionSuccess = "transcription.success";
    /// <summary>The name in 100ms's webhook reference and payload sample.</summary>
    public const string TranscriptionFailure = "transcription.failure";
    /// <summary>The name in 100ms's start-recording page; accepted too.</summary>
    public const string TranscriptionFailed = "transcription.failed";

    public static bool IsTranscriptionFailure(string? type) => type is TranscriptionFailure or TranscriptionFailed;

    /// <summary>The events a recording pipeline waits for; every other 100ms event is acknowledged and ignored.</summary>
    public static bool IsPipelineEvent(string? type) => type is BeamStartedSuccess or BeamStoppedSuccess or BeamRecordingSuccess
        or BeamFailure or TranscriptionStartedSuccess or TranscriptionSuccess or TranscriptionFailure or TranscriptionFailed;
}

/// <summary>Reads an array as its length only, so that what it holds never reaches memory that lives on.</summary>
public sealed class HmsArrayCountConverter : JsonConverter<int?>
{
    public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            count++;
            reader.Skip();
        }
        return count;
    }

    public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options) => throw new NotSupportedException();
}
