using RecordingFunctions.Hms;

namespace RecordingFunctions.Scheduling;

/// <summary>
/// Reads a 100ms room id from a link. Two kinds of links name one: a link on a <c>100ms.live</c> host with the id as a
/// path segment (<c>https://acme.app.100ms.live/preview/&lt;room_id&gt;/&lt;role&gt;</c>), and any link with a
/// <c>room_id=&lt;room_id&gt;</c> query parameter. Prebuilt links such as
/// <c>https://acme.app.100ms.live/meeting/&lt;room-code&gt;</c> carry a room code, which is not a room id.
/// </summary>
internal static class HmsRoomLink
{
    public static string? RoomId(string link)
    {
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return null;

        foreach (var parameter in uri.Query.TrimStart('?').Split('&'))
        {
            var separator = parameter.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0) continue;
            var name = Uri.UnescapeDataString(parameter[..separator]);
            var value = Uri.UnescapeDataString(parameter[(separator + 1)..]);
            if (name == "room_id" && HmsLimits.IsHmsId(value)) return value;
        }

        if (!IsHmsHost(uri)) return null;
        return uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(Uri.UnescapeDataString)
            .FirstOrDefault(HmsLimits.IsHmsId);
    }

    /// <summary>A link to 100ms (its own host or a subdomain of <c>100ms.live</c>), whether or not it names a room id.</summary>
    public static bool IsHmsLink(string link) => Uri.TryCreate(link, UriKind.Absolute, out var uri) && IsHmsHost(uri);

    private static bool IsHmsHost(Uri uri) =>
        uri.Host == "100ms.live" || uri.Host.EndsWith(".100ms.live", StringComparison.Ordinal);
}
