using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecordingFunctions.Hms;

/// <summary>
/// The JSON conventions of the 100ms API: snake_case names, nulls left out, unknown fields ignored, and whole numbers
/// read however 100ms writes them (<c>56</c>, <c>56.0</c> or <c>"56"</c>).
/// </summary>
public static class HmsJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Converters = { new LenientInt64Converter(), new LenientInt32Converter() },
    };

    /// <summary>A whole number from a JSON number (fractions rounded) or a string holding one.</summary>
    internal static long ReadWholeNumber(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt64(out var whole)) return whole;
            return Rounded(reader.GetDouble());
        }
        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString()!.Trim();
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)) return parsed;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)) return Rounded(real);
        }
        throw new JsonException($"Expected a number, not {reader.TokenType}.");
    }

    private static long Rounded(double value) =>
        double.IsFinite(value) && Math.Abs(value) < 9e18 ? (long)Math.Round(value, MidpointRounding.AwayFromZero)
            : throw new JsonException("The number is out of range.");

    private sealed class LenientInt64Converter : JsonConverter<long>
    {
        public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadWholeNumber(ref reader);
        public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }

    private sealed class LenientInt32Converter : JsonConverter<int>
    {
        public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = ReadWholeNumber(ref reader);
            return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new JsonException("The number is out of range.");
        }

        public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }
}
