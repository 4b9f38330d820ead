using System.Text.Json.Serialization;

namespace RecordingFunctions.Archive;

/// <summary>A sweep's input: the recordings 100ms created from <see cref="Since"/> up to <see cref="Until"/>, in one room or all.</summary>
/// <param name="By"><c>api</c> or <c>timer</c>.</param>
public sealed record SweepRequest(
    [property: JsonPropertyName("since")] DateTimeOffset Since,
    [property: JsonPropertyName("until")] DateTimeOffset Until,
    [property: JsonPropertyName("room_id")] string? RoomId,
    [property: JsonPropertyName("by")] string By);

/// <summary>One recording of 100ms's list, as the sweep needs it (list items carry no assets).</summary>
public sealed record SweepItem(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("room_id")] string RoomId,
    [property: JsonPropertyName("session_id")] string? SessionId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("created_at")] DateTimeOffset? CreatedAt);

public sealed record SweepPageRequest(
    [property: JsonPropertyName("room_id")] string? RoomId,
    [property: JsonPropertyName("start")] string? Start);

/// <param name="Next">The next page's <c>start</c>; null after the last page.</param>
public sealed record SweepPage(
    [property: JsonPropertyName("recordings")] IReadOnlyList<SweepItem> Recordings,
    [property: JsonPropertyName("next")] string? Next);

/// <summary>What the sweep did with one recording.</summary>
public sealed record SweepOutcome(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("reason")] string? Reason = null,
    [property: JsonPropertyName("instance_id")] string? InstanceId = null)
{
    public const string StartedKind = "started";
    public const string AlreadyArchivedKind = "already_archived";
    public const string SkippedKind = "skipped";

    public static readonly SweepOutcome AlreadyArchived = new(AlreadyArchivedKind);
    public static SweepOutcome Started(string instanceId) => new(StartedKind, InstanceId: instanceId);
    public static SweepOutcome Skipped(string reason) => new(SkippedKind, reason);
}

/// <summary>A sweep's counts: its custom status while it runs, its output when done.</summary>
public sealed record SweepReport
{
    [JsonPropertyName("since")] public required DateTimeOffset Since { get; init; }
    [JsonPropertyName("until")] public required DateTimeOffset Until { get; init; }
    [JsonPropertyName("room_id")] public string? RoomId { get; init; }
    [JsonPropertyName("by")] public string? By { get; init; }
    [JsonPropertyName("done")] public bool Done { get; init; }
    [JsonPropertyName("pages")] public int Pages { get; init; }
    /// <summary>Recordings created in the range.</summary>
    [JsonPropertyName("seen")] public int Seen { get; init; }
    [JsonPropertyName("already_archived")] public int AlreadyArchived { get; init; }
    [JsonPropertyName("started")] public int Started { get; init; }
    /// <summary>Skipped recordings by reason: not completed, no transcript or summary, ...</summary>
    [JsonPropertyName("skipped")] public IReadOnlyDictionary<string, int> Skipped { get; init; } = new Dictionary<string, int>();
    /// <summary>The archive pipelines this sweep started.</summary>
    [JsonPropertyName("pipelines")] public IReadOnlyList<string> Pipelines { get; init; } = [];
    [JsonPropertyName("error")] public string? Error { get; init; }

    public SweepReport Add(IReadOnlyList<SweepOutcome> outcomes)
    {
        var skipped = new Dictionary<string, int>(Skipped);
        foreach (var reason in outcomes.Where(o => o.Kind == SweepOutcome.SkippedKind).Select(o => o.Reason ?? "unknown"))
            skipped[reason] = skipped.GetValueOrDefault(reason) + 1;
        return this with
        {
            Seen = Seen + outcomes.Count,
            AlreadyArchived = AlreadyArchived + outcomes.Count(o => o.Kind == SweepOutcome.AlreadyArchivedKind),
            Started = Started + outcomes.Count(o => o.Kind == SweepOutcome.StartedKind),
            Skipped = skipped,
            Pipelines = [.. Pipelines, .. outcomes.Where(o => o.InstanceId is not null).Select(o => o.InstanceId!)],
        };
    }
}
