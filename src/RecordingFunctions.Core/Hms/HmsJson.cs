using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecordingFunctions.Hms;

/// <summary>The JSON conventions of the 100ms API: snake_case names, nulls left out, unknown fields ignored.</summary>
public static class HmsJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}
