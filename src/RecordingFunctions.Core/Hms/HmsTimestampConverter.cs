using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecordingFunctions.Hms;

/// <summary>
/// Reads 100ms times whether they come as RFC 3339 strings (with up to nanosecond fractions) or as unix seconds;
/// an empty or unreadable value reads as null rather than failing the whole object.
/// </summary>
public sealed class HmsTimestampConverter : JsonConverter<DateTimeOffset?>
{
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetInt64(out var seconds) && seconds is > 0 and < 253402300800:
                return DateTimeOffset.FromUnixTimeSeconds(seconds);
            case JsonTokenType.Number when reader.TryGetDouble(out var fractional) && fractional is > 0 and < 253402300800:
                return DateTimeOffset.FromUnixTimeMilliseconds((long)(fractional * 1000));
            case JsonTokenType.String:
                var text = reader.GetString();
                if (string.IsNullOrWhiteSpace(text)) return null;
                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var unix) && unix < 253402300800)
                    return DateTimeOffset.FromUnixTimeSeconds(unix);
                return DateTimeOffset.TryParse(TrimFraction(text), CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) ? parsed : null;
            default:
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue();
        else writer.WriteStringValue(value.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
    }

    /// <summary>.NET parses at most 7 fractional digits; 100ms sends up to 9.</summary>
    private static string TrimFraction(string text)
    {
        var dot = text.IndexOf('.');
        if (dot < 0) return text;
        var end = dot + 1;
        while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
        return end - dot - 1 <= 7 ? text : text[..(dot + 8)] + text[end..];
    }
}
