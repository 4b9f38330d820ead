using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RecordingFunctions.Hms;
using RecordingFunctions.Pipeline;

namespace RecordingFunctions.Validation;

/// <summary>One rule a request broke: where (a JSON path) and what the limit is.</summary>
public sealed record ValidationError(string Path, string Message);

/// <param name="Schedule">When to record, if the body asked for a time (<c>start_at</c>, <c>duration</c>, <c>stop_at</c>).</param>
public sealed record StartRequestValidation(StartRecordingRequest? Request, IReadOnlyList<ValidationError> Errors, RecordingSchedule? Schedule = null)
{
    public bool IsValid => Errors.Count == 0 && Request is not null;
}

/// <summary>
/// Checks a start body against 100ms's documented limits and reports every violation with its JSON path.
/// It walks the JSON itself, so a wrong type is reported on its own field, and it never throws on any input.
/// Besides 100ms's fields, the body may say when to record: <c>start_at</c>, and <c>duration</c> or <c>stop_at</c>.
/// </summary>
public static partial class StartRecordingValidator
{
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxDepth = 16;
    public const int MaxMeetingUrlLength = 2048;
    public const int MaxDestinationLength = 128;
    public const int MaxVocabularyEntries = 100;
    public const int MaxVocabularyEntryLength = 100;

    public static readonly IReadOnlyList<string> ScheduleFields = ["start_at", "duration", "stop_at"];

    /// <summary>Validates against the current time and 100ms's default maximum recording duration.</summary>
    public static StartRequestValidation Validate(string? roomId, ReadOnlySpan<byte> utf8Body, ScheduleLimits limits)
    {
        var errors = new List<ValidationError>();
        if (!HmsLimits.IsHmsId(roomId))
            errors.Add(new("room_id", "room_id must be a 100ms room id: 24 lowercase hexadecimal characters."));

        if (utf8Body.Length > MaxBodyBytes)
        {
            errors.Add(new("body", $"The body may be at most {MaxBodyBytes} bytes."));
            return new(null, errors);
        }
        if (IsBlank(utf8Body)) return new(errors.Count == 0 ? new StartRecordingRequest() : null, errors);

        JsonDocument document;
        try
        {
            if (!System.Text.Unicode.Utf8.IsValid(utf8Body)) throw new DecoderFallbackException("invalid UTF-8");
            document = JsonDocument.Parse(utf8Body.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (Exception e) when (e is JsonException or DecoderFallbackException or ArgumentException)
        {
            errors.Add(new("body", BodyError(e)));
            return new(null, errors);
        }

        using (document)
        {
            try
            {
                var walker = new Walker(errors, limits);
                var request = walker.Request(document.RootElement);
                var schedule = request is null ? null : walker.Schedule(document.RootElement);
                return errors.Count == 0 ? new(request, errors, schedule) : new(null, errors);
            }
            catch (InvalidOperationException)
            {
                // System.Text.Json refuses escapes of lone surrogates (\ud800) only when a string is read.
                errors.Add(new("body", "The body contains an invalid Unicode escape."));
                return new(null, errors);
            }
        }
    }

    private static string BodyError(Exception e) => e switch
    {
        DecoderFallbackException or ArgumentException => "The body must be UTF-8 encoded JSON.",
        JsonException { BytePositionInLine: { } position, LineNumber: { } line } when e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
            => $"The body nests deeper than {MaxDepth} levels (line {line + 1}, byte {position + 1}).",
        JsonException { BytePositionInLine: { } position, LineNumber: { } line } => $"The body is not valid JSON (line {line + 1}, byte {position + 1}).",
        _ => "The body is not valid JSON.",
    };

    private static bool IsBlank(ReadOnlySpan<byte> body)
    {
        foreach (var b in body)
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return false;
        return true;
    }

    /// <summary>Walks one document, collecting errors; each method returns what it could read of its field.</summary>
    private sealed class Walker(List<ValidationError> errors, ScheduleLimits limits)
    {
        public StartRecordingRequest? Request(JsonElement root)
        {
            if (!Object(root, "body", ["meeting_url", "resolution", "destination", "audio_only", "transcription", .. ScheduleFields])) return null;
            return new StartRecordingRequest
            {
                MeetingUrl = Optional(root, "meeting_url", MeetingUrl),
                Resolution = Optional(root, "resolution", Resolution),
                Destination = Optional(root, "destination", (e, p) => Text(e, p, MaxDestinationLength, "RecordingFunctions' limit")),
                AudioOnly = Optional(root, "audio_only", Boolean),
                Transcription = Optional(root, "transcription", Transcription),
            };
        }

        private string? MeetingUrl(JsonElement element, string path)
        {
            var text = Text(element, path, MaxMeetingUrlLength, "RecordingFunctions' limit");
            if (text is null) return null;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
            {
                Error(path, "meeting_url must be an absolute http or https URL.");
                return null;
            }
            return text;
        }

        private RecordingResolution? Resolution(JsonElement element, string path)
        {
            if (!Object(element, path, ["width", "height"])) return null;
            var width = Required(element, path, "width", Integer);
            var height = Required(element, path, "height", Integer);
            if (width is not { } w || height is not { } h) return null;

            var portrait = h > w;
            var (minWidth, maxWidth, minHeight, maxHeight) = portrait
                ? (HmsLimits.MinWidth, HmsLimits.MaxShortSide, HmsLimits.MinWidth, HmsLimits.MaxLongSide)
                : (HmsLimits.MinWidth, HmsLimits.MaxLongSide, HmsLimits.MinHeight, HmsLimits.MaxShortSide);
            var orientation = portrait ? "portrait" : "landscape";
            var valid = true;
            if (w < minWidth || w > maxWidth)
            {
                Error(path + ".width", $"A {orientation} width must be from {minWidth} to {maxWidth}.");
                valid = false;
            }
            if (h < minHeight || h > maxHeight)
            {
                Error(path + ".height", $"A {orientation} height must be from {minHeight} to {maxHeight}.");
                valid = false;
            }
            return valid ? new RecordingResolution { Width = w, Height = h } : null;
        }

        private TranscriptionSettings? Transcription(JsonElement element, string path)
        {
            if (!Object(element, path, ["enabled", "output_modes", "custom_vocabulary", "summary"])) return null;
            var settings = new TranscriptionSettings
            {
                Enabled = Optional(element, path, "enabled", Boolean),
                OutputModes = Optional(element, path, "output_modes", OutputModes),
                CustomVocabulary = Optional(element, path, "custom_vocabulary", Vocabulary),
                Summary = Optional(element, path, "summary", Summary),
            };
            if (settings.Summary?.Enabled == true && settings.Enabled == false)
                Error(path + ".summary.enabled", "A summary needs transcription: transcription.enabled must not be false when summary.enabled is true.");
            return settings;
        }

        private IReadOnlyList<string>? OutputModes(JsonElement element, string path)
        {
            var modes = Array(element, path, (e, p) =>
            {
                var mode = Text(e, p, 10);
                if (mode is not null && !HmsLimits.OutputModes.Contains(mode))
                {
                    Error(p, $"An output mode must be one of {string.Join(", ", HmsLimits.OutputModes)}.");
                    return null;
                }
                return mode;
            });
            if (modes is null) return null;
            if (element.GetArrayLength() == 0) Error(path, "output_modes must name at least one of txt, srt, json when given.");
            for (var i = 0; i < modes.Count; i++)
                if (modes.IndexOf(modes[i]) < i) Error($"{path}[{i}]", $"The output mode '{modes[i]}' is repeated.");
            return modes;
        }

        private IReadOnlyList<string>? Vocabulary(JsonElement element, string path)
        {
            var words = Array(element, path, (e, p) => Text(e, p, MaxVocabularyEntryLength, "RecordingFunctions' limit"));
            if (words is not null && words.Count > MaxVocabularyEntries)
                Error(path, $"custom_vocabulary may have at most {MaxVocabularyEntries} entries (RecordingFunctions' limit).");
            return words;
        }

        private SummarySettings? Summary(JsonElement element, string path)
        {
            if (!Object(element, path, ["enabled", "context", "sections", "temperature"])) return null;
            return new SummarySettings
            {
                Enabled = Optional(element, path, "enabled", Boolean),
                Context = Optional(element, path, "context", (e, p) => Text(e, p, HmsLimits.MaxSummaryContextLength, allowEmpty: true)),
                Temperature = Optional(element, path, "temperature", Temperature),
                Sections = Optional(element, path, "sections", Sections),
            };
        }

        private double? Temperature(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var value) || !double.IsFinite(value))
            {
                Error(path, "temperature must be a number.");
                return null;
            }
            if (value < HmsLimits.MinTemperature || value > HmsLimits.MaxTemperature)
            {
                Error(path, $"temperature must be from {HmsLimits.MinTemperature.ToString(CultureInfo.InvariantCulture)} to {HmsLimits.MaxTemperature.ToString("0.0", CultureInfo.InvariantCulture)}.");
                return null;
            }
            return value;
        }

        private IReadOnlyList<SummarySectionRequest>? Sections(JsonElement element, string path)
        {
            var sections = Array(element, path, Section);
            if (sections is not null && sections.Count > HmsLimits.MaxSummarySections)
                Error(path, $"A summary may have at most {HmsLimits.MaxSummarySections} sections.");
            return sections;
        }

        private SummarySectionRequest? Section(JsonElement element, string path)
        {
            if (!Object(element, path, ["title", "format"])) return null;
            var title = Required(element, path, "title", (e, p) => Text(e, p, HmsLimits.MaxSectionTitleLength));
            var format = Required(element, path, "format", (e, p) =>
            {
                var text = Text(e, p, 20);
                if (text is not null && !HmsLimits.SectionFormats.Contains(text))
                {
                    Error(p, "format must be bullets or paragraph.");
                    return null;
                }
                return text;
            });
            return title is null || format is null ? null : new SummarySectionRequest { Title = title, Format = format };
        }

        public RecordingSchedule? Schedule(JsonElement root)
        {
            var startAt = Optional(root, "start_at", Timestamp);
            var duration = Optional(root, "duration", Duration);
            var stopAt = Optional(root, "stop_at", Timestamp);
            if (startAt is null && duration is null && stopAt is null) return null;

            var max = limits.MaxRecordingDuration;
            const string whose = "(100ms's maximum recording duration, Pipeline:MaxRecordingDuration)";
            if (startAt is { } start)
            {
                if (start <= limits.Now) Error("start_at", $"start_at must be in the future; it is {start:O}, now is {limits.Now:O}.");
                else if (start - limits.Now > ScheduleLimits.MaxLeadTime)
                    Error("start_at", $"start_at may be at most {ScheduleLimits.MaxLeadTime.TotalDays:0} days ahead (RecordingFunctions' limit).");
            }
            if (duration is { } length && length > max) Error("duration", $"duration may be at most {Describe(max)} {whose}.");
            if (stopAt is { } stop)
            {
                var from = startAt ?? limits.Now;
                if (duration is not null) Error("stop_at", "Give either duration or stop_at, not both.");
                else if (stop <= from) Error("stop_at", startAt is null ? "stop_at must be in the future." : "stop_at must be after start_at.");
                else if (stop - from > max) Error("stop_at", $"stop_at may be at most {Describe(max)} after {(startAt is null ? "now" : "start_at")} {whose}.");
            }
            return new RecordingSchedule
            {
                StartAt = startAt?.ToUniversalTime(),
                StopAt = (stopAt ?? (startAt + duration))?.ToUniversalTime(),
                DurationSeconds = duration is { } d ? (int)d.TotalSeconds : null,
            };
        }

        /// <summary>An RFC 3339 date-time with its offset (<c>2026-03-31T10:00:00+02:00</c>, <c>…Z</c>).</summary>
        private DateTimeOffset? Timestamp(JsonElement element, string path)
        {
            var text = Text(element, path, 40);
            if (text is null) return null;
            if (!Rfc3339().IsMatch(text)
                || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            {
                Error(path, $"{path} must be an RFC 3339 date-time with an offset, like 2026-03-31T10:00:00Z.");
                return null;
            }
            return value;
        }

        /// <summary>Whole seconds as a number, or an ISO 8601 duration (<c>PT1H30M</c>).</summary>
        private TimeSpan? Duration(JsonElement element, string path)
        {
            TimeSpan? value = null;
            if (element.ValueKind == JsonValueKind.Number)
                value = element.TryGetInt32(out var seconds) ? TimeSpan.FromSeconds(seconds) : null;
            else if (element.ValueKind == JsonValueKind.String && Iso8601Duration().Match(element.GetString()!) is { Success: true } match
                     && match.Value is not ("P" or "PT") && !match.Value.EndsWith('T'))
            {
                double Part(string name) => match.Groups[name].Success ? double.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
                var total = ((Part("w") * 7 + Part("d")) * 24 + Part("h")) * 3600 + Part("m") * 60 + Part("s");
                value = total < TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromSeconds(Math.Floor(total)) : TimeSpan.MaxValue;
            }
            if (value is null)
            {
                Error(path, $"{path} must be whole seconds (a number) or an ISO 8601 duration like \"PT1H30M\".");
                return null;
            }
            if (value < TimeSpan.FromSeconds(1))
            {
                Error(path, $"{path} must be at least 1 second.");
                return null;
            }
            return value;
        }

        private static string Describe(TimeSpan span) =>
            span.TotalMinutes % 60 == 0 ? $"{span.TotalHours:0} h" : span.TotalSeconds % 60 == 0 ? $"{span.TotalMinutes:0} min" : $"{span.TotalSeconds:0} s";

        // ----- shapes -----

        private bool Object(JsonElement element, string path, string[] knownFields)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                Error(path, $"{Name(path)} must be a JSON object.");
                return false;
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                var propertyPath = Join(path, property.Name);
                if (!seen.Add(property.Name)) Error(propertyPath, $"{Echo(property.Name)} appears more than once.");
                else if (!knownFields.Contains(property.Name))
                    Error(propertyPath, $"Unknown field {Echo(property.Name)}; allowed here: {string.Join(", ", knownFields)}.");
            }
            return true;
        }

        private T? Optional<T>(JsonElement parent, string name, Func<JsonElement, string, T?> read) => Optional(parent, "", name, read);

        private T? Optional<T>(JsonElement parent, string parentPath, string name, Func<JsonElement, string, T?> read) =>
            parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
                ? read(value, Join(parentPath, name))
                : default;

        private T? Required<T>(JsonElement parent, string parentPath, string name, Func<JsonElement, string, T?> read)
        {
            if (parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null) return read(value, Join(parentPath, name));
            Error(Join(parentPath, name), $"{name} is required.");
            return default;
        }

        private List<T>? Array<T>(JsonElement element, string path, Func<JsonElement, string, T?> readItem)
        {
            if (element.ValueKind != JsonValueKind.Array)
            {
                Error(path, $"{Name(path)} must be a JSON array.");
                return null;
            }
            var items = new List<T>();
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                var value = readItem(item, $"{path}[{index++}]");
                if (value is not null) items.Add(value);
            }
            return items;
        }

        private string? Text(JsonElement element, string path, int maxLength, string? whose = null, bool allowEmpty = false)
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                Error(path, $"{Name(path)} must be a string.");
                return null;
            }
            var text = element.GetString()!;
            var length = new StringInfo(text).LengthInTextElements;
            if (length > maxLength)
            {
                Error(path, $"{Name(path)} may be at most {maxLength} characters{(whose is null ? "" : $" ({whose})")}; it has {length}.");
                return null;
            }
            if (!allowEmpty && string.IsNullOrWhiteSpace(text))
            {
                Error(path, $"{Name(path)} must not be empty.");
                return null;
            }
            return text;
        }

        private bool? Boolean(JsonElement element, string path)
        {
            if (element.ValueKind is JsonValueKind.True or JsonValueKind.False) return element.GetBoolean();
            Error(path, $"{Name(path)} must be true or false.");
            return null;
        }

        private int? Integer(JsonElement element, string path)
        {
            if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value)) return value;
            Error(path, $"{Name(path)} must be an integer.");
            return null;
        }

        private void Error(string path, string message) => errors.Add(new(path, message));

        private static string Join(string path, string name) => path is "" or "body" ? name : $"{path}.{name}";

        private static string Name(string path) => path == "body" ? "The body" : path;

        /// <summary>Quotes a name from the request, cut short: errors never echo large input back.</summary>
        private static string Echo(string value) => "'" + (value.Length <= 50 ? value : value[..50] + "…") + "'";
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    [GeneratedRegex(@"^P(?:(?<w>\d{1,6})W)?(?:(?<d>\d{1,6})D)?(?:T(?:(?<h>\d{1,7})H)?(?:(?<m>\d{1,9})M)?(?:(?<s>\d{1,10}(?:\.\d{1,9})?)S)?)?$")]
    private static partial Regex Iso8601Duration();
}
