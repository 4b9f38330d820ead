using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace RecordingFunctions.Pipeline;

/// <summary>
/// Pipeline instance ids are <c>{room_id}-{32 hex}</c>: the room prefix lets the webhook receiver and the
/// one-recording-per-room check find a room's pipelines with one prefix query.
/// </summary>
public static partial class PipelineInstanceIds
{
    public static string New(string roomId) => $"{roomId}-{Guid.NewGuid():N}";

    /// <summary>The same key for the same room always gives the same instance: a retried request starts nothing new.</summary>
    public static string ForIdempotencyKey(string roomId, string idempotencyKey) =>
        $"{roomId}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..32]}";

    /// <summary>One calendar occurrence always gives the same instance: syncing a feed twice schedules nothing twice.</summary>
    public static string ForCalendarOccurrence(string roomId, string feedName, string occurrenceKey) =>
        $"{roomId}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"calendar\n{feedName}\n{occurrenceKey}")))[..32]}";

    /// <summary>
    /// A recording has one archive pipeline at most: 100ms's retries, replays and parallel deliveries, and every sweep,
    /// all name the same instance.
    /// </summary>
    public static string ForArchive(string roomId, string recordingId) =>
        $"{roomId}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"archive\n{recordingId}")))[..32]}";

    public static string RoomPrefix(string roomId) => roomId + "-";

    public static bool IsValid(string? instanceId) => instanceId is not null && Format().IsMatch(instanceId);

    /// <summary>The room a pipeline instance belongs to, or null when the id is not a pipeline's.</summary>
    public static string? RoomOf(string? instanceId) => IsValid(instanceId) ? instanceId![..24] : null;

    [GeneratedRegex("^[0-9a-f]{24}-[0-9a-f]{32}$")]
    private static partial Regex Format();
}
