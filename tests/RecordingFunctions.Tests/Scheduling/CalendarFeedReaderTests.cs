using System.Text.Json;
using System.Text.Json.Nodes;
using RecordingFunctions.Scheduling;

namespace RecordingFunctions.Tests.Scheduling;

public class CalendarFeedReaderTests
{
    private const string Room = "64a1b2c3d4e5f60718293a4b";
    private const string OtherRoom = "0123456789abcdef01234567";

    private const string BerlinTimeZone = """
        BEGIN:VTIMEZONE
        TZID:Europe/Berlin
        X-LIC-LOCATION:Europe/Berlin
        BEGIN:DAYLIGHT
        TZOFFSETFROM:+0100
        TZOFFSETTO:+0200
        TZNAME:CEST
        DTSTART:19700329T020000
        RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
        END:DAYLIGHT
        BEGIN:STANDARD
        TZOFFSETFROM:+0200
        TZOFFSETTO:+0100
        TZNAME:CET
        DTSTART:19701025T030000
        RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
        END:STANDARD
        END:VTIMEZONE
        """;

    /// <summary>Mondays at 10:00 in Berlin, an hour long, from 2 March 2026; summer time starts on Sunday 29 March.</summary>
    private const string WeeklySync = $"""
        BEGIN:VEVENT
        UID:weekly-sync@example.com
        DTSTAMP:20260101T000000Z
        SUMMARY:Weekly sync
        DTSTART;TZID=Europe/Berlin:20260302T100000
        DTEND;TZID=Europe/Berlin:20260302T110000
        RRULE:FREQ=WEEKLY;BYDAY=MO
        DESCRIPTION:Agenda in the doc.\n100ms-room-id: {Room}
        END:VEVENT
        """;

    private static readonly JsonObject DefaultRequest = new()
    {
        ["transcription"] = new JsonObject
        {
            ["enabled"] = true,
            ["output_modes"] = new JsonArray("txt", "json"),
            ["summary"] = new JsonObject { ["enabled"] = true },
        },
    };

    private static string Feed(params string[] events) =>
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//RecordingFunctions tests//EN\n" + BerlinTimeZone + "\n" + string.Join("\n", events) + "\nEND:VCALENDAR\n";

    private static string Event(string uid, string start, string end, string? description = null, string extra = "") =>
        $"BEGIN:VEVENT\nUID:{uid}\nDTSTAMP:20260101T000000Z\nSUMMARY:{uid}\nDTSTART:{start}\nDTEND:{end}\n" +
        (description is null ? "" : $"DESCRIPTION:{description}\n") + (extra.Length == 0 ? "" : extra.TrimEnd('\n') + "\n") + "END:VEVENT";

    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    private static CalendarFeedResult Read(string ics, string from = "2026-03-01T00:00:00Z", string to = "2026-05-01T00:00:00Z") =>
        CalendarFeedReader.Read("team", ics, Utc(from), Utc(to), DefaultRequest);

    private static JsonNode? At(JsonObject body, string path) =>
        path.Split('.').Aggregate((JsonNode?)body, (node, name) => node?[name]);

    // ----- time zones and recurrence -----

    [Fact]
    public void A_weekly_Berlin_meeting_moves_an_hour_earlier_in_UTC_when_summer_time_starts()
    {
        var result = Read(Feed(WeeklySync), "2026-03-16T00:00:00Z", "2026-04-07T00:00:00Z");

        Assert.Null(result.FeedError);
        Assert.Empty(result.Skipped);
        Assert.Equal(
            ["2026-03-16T09:00:00Z", "2026-03-23T09:00:00Z", "2026-03-30T08:00:00Z", "2026-04-06T08:00:00Z"],
            result.Occurrences.Select(o => o.StartsAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")));
        Assert.All(result.Occurrences, o =>
        {
            Assert.Equal(TimeSpan.Zero, o.StartsAt.Offset);
            Assert.Equal(TimeSpan.FromHours(1), o.EndsAt - o.StartsAt);
            Assert.Equal(Room, o.RoomId);
            Assert.Equal("weekly-sync@example.com", o.EventUid);
            Assert.Equal("Weekly sync", o.Title);
            Assert.Equal("team", o.FeedName);
        });
        Assert.Equal(
            ["weekly-sync@example.com|20260316T090000Z", "weekly-sync@example.com|20260323T090000Z",
             "weekly-sync@example.com|20260330T080000Z", "weekly-sync@example.com|20260406T080000Z"],
            result.Occurrences.Select(o => o.OccurrenceKey));
    }

    [Fact]
    public void A_Windows_time_zone_name_as_Outlook_writes_it_is_understood()
    {
        var result = Read(Feed(Event("outlook", "20260401T100000", "20260401T103000", $"100ms-room-id: {Room}")
            .Replace("DTSTART:", "DTSTART;TZID=W. Europe Standard Time:").Replace("DTEND:", "DTEND;TZID=W. Europe Standard Time:")));

        var occurrence = Assert.Single(result.Occurrences);
        Assert.Equal(Utc("2026-04-01T08:00:00Z"), occurrence.StartsAt);
        Assert.Equal(Utc("2026-04-01T08:30:00Z"), occurrence.EndsAt);
        Assert.Equal("outlook", occurrence.OccurrenceKey);
    }

    [Fact]
    public void A_single_event_is_keyed_by_its_UID_and_DURATION_gives_its_end()
    {
        var result = Read(Feed($"BEGIN:VEVENT\nUID:review\nDTSTART:20260310T150000Z\nDURATION:PT45M\nDESCRIPTION:100ms-room-id: {Room}\nEND:VEVENT"));

        var occurrence = Assert.Single(result.Occurrences);
        Assert.Equal("review", occurrence.OccurrenceKey);
        Assert.Equal(Utc("2026-03-10T15:00:00Z"), occurrence.StartsAt);
        Assert.Equal(Utc("2026-03-10T15:45:00Z"), occurrence.EndsAt);
    }

    [Fact]
    public void RDATE_adds_occurrences_and_EXDATE_removes_them_whatever_time_zone_they_are_written_in()
    {
        var series = WeeklySync.Replace("RRULE:FREQ=WEEKLY;BYDAY=MO",
            "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4\nRDATE;TZID=Europe/Berlin:20260312T160000\nEXDATE;TZID=Europe/Berlin:20260309T100000\nEXDATE:20260316T090000Z");

        var result = Read(Feed(series));

        Assert.Equal(
            [Utc("2026-03-02T09:00:00Z"), Utc("2026-03-12T15:00:00Z"), Utc("2026-03-23T09:00:00Z")],
            result.Occurrences.Select(o => o.StartsAt));
        Assert.Empty(result.Skipped);
    }

    // ----- moved and cancelled occurrences -----

    [Fact]
    public void A_moved_occurrence_keeps_its_key_and_takes_its_new_time_and_description()
    {
        var moved = $"""
            BEGIN:VEVENT
            UID:weekly-sync@example.com
            DTSTAMP:20260101T000000Z
            SEQUENCE:1
            RECURRENCE-ID;TZID=Europe/Berlin:20260323T100000
            SUMMARY:Weekly sync (moved)
            DTSTART;TZID=Europe/Berlin:20260324T143000
            DTEND;TZID=Europe/Berlin:20260324T160000
            DESCRIPTION:100ms-room-id: {OtherRoom}\n100ms-summary-context: moved to Tuesday
            END:VEVENT
            """;

        var result = Read(Feed(WeeklySync, moved), "2026-03-16T00:00:00Z", "2026-03-31T00:00:00Z");

        Assert.Equal(["2026-03-16T09:00:00Z", "2026-03-24T13:30:00Z", "2026-03-30T08:00:00Z"],
            result.Occurrences.Select(o => o.StartsAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")));
        var tuesday = result.Occurrences[1];
        Assert.Equal("weekly-sync@example.com|20260323T090000Z", tuesday.OccurrenceKey);
        Assert.Equal(Utc("2026-03-24T15:00:00Z"), tuesday.EndsAt);
        Assert.Equal("Weekly sync (moved)", tuesday.Title);
        Assert.Equal(OtherRoom, tuesday.RoomId);
        Assert.Equal("moved to Tuesday", (string?)At(tuesday.RequestBody, "transcription.summary.context"));
        Assert.Equal(Room, result.Occurrences[0].RoomId);
        Assert.Null(At(result.Occurrences[0].RequestBody, "transcription.summary.context"));
    }

    [Fact]
    public void An_occurrence_moved_into_the_window_is_read_and_one_moved_out_of_it_is_gone()
    {
        // The occurrence of 6 April moves into the window, that of 23 March out of it; the RECURRENCE-IDs are in UTC.
        string Move(string recurrenceId, string start, string end) =>
            $"BEGIN:VEVENT\nUID:weekly-sync@example.com\nRECURRENCE-ID:{recurrenceId}\nDTSTART:{start}\nDTEND:{end}\nDESCRIPTION:100ms-room-id: {Room}\nEND:VEVENT";

        var result = Read(Feed(WeeklySync,
                Move("20260406T080000Z", "20260325T120000Z", "20260325T130000Z"),
                Move("20260323T090000Z", "20260501T120000Z", "20260501T130000Z")),
            "2026-03-20T00:00:00Z", "2026-03-28T00:00:00Z");

        var occurrence = Assert.Single(result.Occurrences);
        Assert.Equal("weekly-sync@example.com|20260406T080000Z", occurrence.OccurrenceKey);
        Assert.Equal(Utc("2026-03-25T12:00:00Z"), occurrence.StartsAt);
    }

    [Fact]
    public void A_moved_single_event_keeps_its_UID_as_key_and_a_lone_override_is_keyed_by_its_original_start()
    {
        var result = Read(Feed(
            Event("one-off", "20260310T100000Z", "20260310T110000Z", $"100ms-room-id: {Room}"),
            Event("one-off", "20260312T150000Z", "20260312T160000Z", $"100ms-room-id: {Room}", "RECURRENCE-ID:20260310T100000Z"),
            Event("lone", "20260313T150000Z", "20260313T160000Z", $"100ms-room-id: {Room}", "RECURRENCE-ID;TZID=Europe/Berlin:20260309T100000")));

        Assert.Equal(
            [("one-off", Utc("2026-03-12T15:00:00Z")), ("lone|20260309T090000Z", Utc("2026-03-13T15:00:00Z"))],
            result.Occurrences.Select(o => (o.OccurrenceKey, o.StartsAt)));
    }

    [Fact]
    public void A_cancelled_occurrence_and_an_excluded_date_vanish_without_being_reported()
    {
        var series = WeeklySync.Replace("RRULE:FREQ=WEEKLY;BYDAY=MO", "RRULE:FREQ=WEEKLY;BYDAY=MO\nEXDATE;TZID=Europe/Berlin:20260309T100000");
        const string cancelled = """
            BEGIN:VEVENT
            UID:weekly-sync@example.com
            SEQUENCE:2
            RECURRENCE-ID;TZID=Europe/Berlin:20260316T100000
            DTSTART;TZID=Europe/Berlin:20260316T100000
            DTEND;TZID=Europe/Berlin:20260316T110000
            STATUS:CANCELLED
            END:VEVENT
            """;

        var result = Read(Feed(series, cancelled), "2026-03-01T00:00:00Z", "2026-03-24T00:00:00Z");

        Assert.Equal([Utc("2026-03-02T09:00:00Z"), Utc("2026-03-23T09:00:00Z")], result.Occurrences.Select(o => o.StartsAt));
        Assert.Empty(result.Skipped);
    }

    [Fact]
    public void A_cancelled_event_has_no_occurrences_at_all()
    {
        var result = Read(Feed(WeeklySync.Replace("RRULE:", "STATUS:CANCELLED\nRRULE:"),
            Event("planning", "20260310T100000Z", "20260310T110000Z", $"100ms-room-id: {Room}", "STATUS:CANCELLED")));

        Assert.Empty(result.Occurrences);
        Assert.Empty(result.Skipped);
        Assert.Null(result.FeedError);
    }

    [Fact]
    public void Of_two_versions_of_an_event_the_higher_SEQUENCE_wins()
    {
        var result = Read(Feed(
            Event("retro", "20260310T100000Z", "20260310T110000Z", $"100ms-room-id: {Room}", "SEQUENCE:3"),
            Event("retro", "20260311T100000Z", "20260311T110000Z", $"100ms-room-id: {Room}", "SEQUENCE:1")));

        var occurrence = Assert.Single(result.Occurrences);
        Assert.Equal(Utc("2026-03-10T10:00:00Z"), occurrence.StartsAt);
    }

    // ----- the room -----

    [Fact]
    public void An_event_without_a_room_is_skipped_with_a_reason_that_says_how_to_name_one()
    {
        var result = Read(Feed(Event("lunch", "20260310T120000Z", "20260310T130000Z", "Bring sandwiches.")));

        Assert.Empty(result.Occurrences);
        var skipped = Assert.Single(result.Skipped);
        Assert.Equal("lunch", skipped.EventUid);
        Assert.Equal("lunch", skipped.Title);
        Assert.Equal(Utc("2026-03-10T12:00:00Z"), skipped.StartsAt);
        Assert.Contains("100ms-room-id: <room id>", skipped.Reason);
        Assert.Contains("/preview/<room id>/<role>", skipped.Reason);
    }

    [Fact]
    public void A_recurring_event_without_a_room_is_skipped_once_for_each_occurrence_in_the_window()
    {
        var result = Read(Feed(WeeklySync.Replace($"\\n100ms-room-id: {Room}", "")), "2026-03-01T00:00:00Z", "2026-03-17T00:00:00Z");

        Assert.Empty(result.Occurrences);
        Assert.Equal([Utc("2026-03-02T09:00:00Z"), Utc("2026-03-09T09:00:00Z"), Utc("2026-03-16T09:00:00Z")], result.Skipped.Select(s => s.StartsAt));
        Assert.All(result.Skipped, s => Assert.StartsWith("No 100ms room", s.Reason));
    }

    [Fact]
    public void The_room_is_read_from_an_HTML_description_as_Google_writes_it()
    {
        var html = $"<p>Notes in the doc&nbsp;<a href=\"https://docs.example.com/x\">here</a></p><br>100MS-Room-ID:&nbsp;<span>{Room}</span>&nbsp;<br/>100ms-output-modes: srt,&nbsp;txt";

        var result = Read(Feed(Event("google", "20260310T100000Z", "20260310T110000Z", html.Replace(",", "\\,"))));

        Assert.Empty(result.Skipped);
        var occurrence = Assert.Single(result.Occurrences);
        Assert.Equal(Room, occurrence.RoomId);
        Assert.Equal(["srt", "txt"], At(occurrence.RequestBody, "transcription.output_modes")!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public void The_room_is_read_from_a_100ms_link_in_the_location_or_a_room_id_parameter_in_the_URL()
    {
        var result = Read(Feed(
            Event("by-location", "20260310T100000Z", "20260310T110000Z", extra: $"LOCATION:Online: https://acme.app.100ms.live/preview/{Room}/host?skip_preview=true."),
            Event("by-url", "20260311T100000Z", "20260311T110000Z", extra: $"URL:https://meet.example.com/join?team=a&room_id={OtherRoom}"),
            Event("by-description-link", "20260312T100000Z", "20260312T110000Z", $"Join at https://acme.app.100ms.live/meeting/{OtherRoom}/guest")));

        Assert.Empty(result.Skipped);
        Assert.Equal([Room, OtherRoom, OtherRoom], result.Occurrences.Select(o => o.RoomId));
    }

    [Fact]
    public void A_room_code_link_does_not_name_a_room_and_neither_does_a_look_alike_host()
    {
        var result = Read(Feed(
            Event("room-code", "20260310T100000Z", "20260310T110000Z", extra: "LOCATION:https://acme.app.100ms.live/meeting/abc-defg-hij"),
            Event("look-alike", "20260311T100000Z", "20260311T110000Z", extra: $"LOCATION:https://acme.app.100ms.live.example.com/preview/{Room}/host"),
            Event("other-host", "20260312T100000Z", "20260312T110000Z", $"https://meet.example.com/preview/{Room}/host"),
            Event("not-quite-hex", "20260313T100000Z", "20260313T110000Z", extra: $"LOCATION:https://acme.app.100ms.live/preview/{Room.ToUpperInvariant()}/host")));

        Assert.Empty(result.Occurrences);
        Assert.Equal(["room-code", "look-alike", "other-host", "not-quite-hex"], result.Skipped.Select(s => s.EventUid));
        Assert.All(result.Skipped, s => Assert.StartsWith("No 100ms room", s.Reason));
        Assert.Contains("room code", result.Skipped[0].Reason);
    }

    [Fact]
    public void The_description_line_wins_over_links_and_links_to_different_rooms_are_refused()
    {
        var result = Read(Feed(
            Event("declared", "20260310T100000Z", "20260310T110000Z", $"100ms-room-id: {OtherRoom}", $"LOCATION:https://acme.app.100ms.live/preview/{Room}/host"),
            Event("ambiguous", "20260311T100000Z", "20260311T110000Z", $"https://acme.app.100ms.live/preview/{OtherRoom}/host", $"LOCATION:https://acme.app.100ms.live/preview/{Room}/host"),
            Event("bad-id", "20260312T100000Z", "20260312T110000Z", "100ms-room-id: my-room")));

        Assert.Equal(OtherRoom, Assert.Single(result.Occurrences).RoomId);
        Assert.Contains("different 100ms rooms", result.Skipped.Single(s => s.EventUid == "ambiguous").Reason);
        Assert.StartsWith("100ms-room-id: 'my-room' is not a 100ms room id", result.Skipped.Single(s => s.EventUid == "bad-id").Reason);
    }

    // ----- overrides -----

    [Fact]
    public void Description_settings_are_merged_over_a_copy_of_the_default_request()
    {
        var defaults = DefaultRequest.ToJsonString();
        var description = string.Join("\\n",
            $"100ms-room-id: {Room}",
            "100ms-Output-Modes: TXT\\, srt",
            "100ms-summary-sections: Decisions (bullets); Short summary (Paragraph)",
            "100ms-vocabulary: WebSDK\\, Kubernetes",
            "100ms-resolution: 1280x720",
            "100ms-audio-only: no");

        var result = Read(Feed(
            Event("merged", "20260310T100000Z", "20260310T110000Z", description),
            Event("no-transcript", "20260311T100000Z", "20260311T110000Z", $"100ms-room-id: {Room}\\n100ms-transcription: off")));

        Assert.Empty(result.Skipped);
        var merged = result.Occurrences[0].RequestBody;
        Assert.Equal(
            """{"transcription":{"enabled":true,"output_modes":["txt","srt"],"summary":{"enabled":true,"sections":[{"title":"Decisions","format":"bullets"},{"title":"Short summary","format":"paragraph"}]},"custom_vocabulary":["WebSDK","Kubernetes"]},"resolution":{"width":1280,"height":720},"audio_only":false}""",
            merged.ToJsonString());
        var off = result.Occurrences[1].RequestBody;
        Assert.Equal(false, (bool?)At(off, "transcription.enabled"));
        Assert.Equal(false, (bool?)At(off, "transcription.summary.enabled"));
        Assert.Equal(defaults, DefaultRequest.ToJsonString());
    }

    [Fact]
    public void Summary_settings_turn_the_summary_and_transcription_on()
    {
        var result = CalendarFeedReader.Read("team",
            Feed(Event("context", "20260310T100000Z", "20260310T110000Z", $"100ms-room-id: {Room}\\n100ms-summary-context: quarterly planning")),
            Utc("2026-03-01T00:00:00Z"), Utc("2026-04-01T00:00:00Z"), new JsonObject());

        Assert.Equal("""{"transcription":{"summary":{"context":"quarterly planning","enabled":true},"enabled":true}}""",
            Assert.Single(result.Occurrences).RequestBody.ToJsonString());
    }

    [Fact]
    public void Each_occurrence_gets_its_own_request_body()
    {
        var result = Read(Feed(WeeklySync), "2026-03-01T00:00:00Z", "2026-03-10T00:00:00Z");

        Assert.Equal(2, result.Occurrences.Count);
        result.Occurrences[0].RequestBody["audio_only"] = true;
        Assert.Null(result.Occurrences[1].RequestBody["audio_only"]);
    }

    [Theory]
    [InlineData("100ms-resolution: full HD", "100ms-resolution: 'full HD' is not a resolution")]
    [InlineData("100ms-summary-sections: Decisions", "100ms-summary-sections: 'Decisions' must be a title followed by its format")]
    [InlineData("100ms-audio-only: maybe", "100ms-audio-only: 'maybe' must be on or off")]
    [InlineData("100ms-colour: blue", "Unknown description key '100ms-colour'")]
    [InlineData("100ms-summary: on\\n100ms-Summary: off", "100ms-summary appears more than once")]
    public void An_unreadable_setting_skips_the_event_naming_it(string setting, string expected)
    {
        var result = Read(Feed(Event("bad", "20260310T100000Z", "20260310T110000Z", $"100ms-room-id: {Room}\\n{setting}")));

        Assert.Empty(result.Occurrences);
        Assert.Contains(expected, Assert.Single(result.Skipped).Reason);
    }

    // ----- what is skipped -----

    [Fact]
    public void All_day_floating_and_endless_events_are_skipped_with_their_reason()
    {
        var result = Read(Feed(
            $"BEGIN:VEVENT\nUID:holiday\nSUMMARY:Holiday\nDTSTART;VALUE=DATE:20260310\nDTEND;VALUE=DATE:20260311\nDESCRIPTION:100ms-room-id: {Room}\nEND:VEVENT",
            Event("floating", "20260311T100000", "20260311T110000", $"100ms-room-id: {Room}"),
            $"BEGIN:VEVENT\nUID:endless\nDTSTART:20260312T100000Z\nDESCRIPTION:100ms-room-id: {Room}\nEND:VEVENT"));

        Assert.Empty(result.Occurrences);
        Assert.Collection(result.Skipped,
            s => { Assert.Equal("holiday", s.EventUid); Assert.Contains("all-day", s.Reason); },
            s => { Assert.Equal("floating", s.EventUid); Assert.Contains("floating time", s.Reason); },
            s => { Assert.Equal("endless", s.EventUid); Assert.Contains("neither DTEND nor DURATION", s.Reason); });
    }

    [Fact]
    public void An_event_in_an_unknown_time_zone_is_skipped_and_the_others_are_read()
    {
        var custom = Event("custom-zone", "20260310T100000", "20260310T110000", $"100ms-room-id: {Room}")
            .Replace("DTSTART:", "DTSTART;TZID=Customized Time Zone:").Replace("DTEND:", "DTEND;TZID=Customized Time Zone:");

        var result = Read(Feed(custom, Event("fine", "20260311T100000Z", "20260311T110000Z", $"100ms-room-id: {Room}")));

        Assert.Equal("fine", Assert.Single(result.Occurrences).EventUid);
        var skipped = Assert.Single(result.Skipped);
        Assert.Equal("custom-zone", skipped.EventUid);
        Assert.Null(skipped.StartsAt);
        Assert.Contains("TZID=Customized Time Zone", skipped.Reason);
    }

    [Fact]
    public void Events_without_a_UID_are_skipped_the_same_way_on_every_read()
    {
        var feed = Feed($"BEGIN:VEVENT\nSUMMARY:Anonymous\nDTSTART:20260310T100000Z\nDTEND:20260310T110000Z\nDESCRIPTION:100ms-room-id: {Room}\nEND:VEVENT");

        var first = Read(feed);
        var second = Read(feed);

        Assert.Empty(first.Occurrences);
        var skipped = Assert.Single(first.Skipped);
        Assert.Equal("", skipped.EventUid);
        Assert.Equal("Anonymous", skipped.Title);
        Assert.Contains("no UID", skipped.Reason);
        Assert.Equal(skipped, Assert.Single(second.Skipped));
    }

    [Fact]
    public void A_rule_that_recurs_more_often_than_daily_or_never_matches_is_skipped()
    {
        var result = Read(Feed(
            Event("minutely", "19900101T100000Z", "19900101T100500Z", $"100ms-room-id: {Room}", "RRULE:FREQ=MINUTELY"),
            Event("never", "20260301T100000Z", "20260301T110000Z", $"100ms-room-id: {Room}", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")));

        Assert.Empty(result.Occurrences);
        Assert.Contains("more often than daily", result.Skipped.Single(s => s.EventUid == "minutely").Reason);
        Assert.Contains("could not be expanded", result.Skipped.Single(s => s.EventUid == "never").Reason);
    }

    // ----- malformed feeds -----

    [Theory]
    [InlineData("", "The feed is empty.")]
    [InlineData("<!DOCTYPE html>\n<html><body>Sign in</body></html>", "The feed is not valid iCalendar: ")]
    [InlineData("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20260310T100000Z\nEND:VCALENDAR\n", "The feed is not valid iCalendar: ")]
    [InlineData("BEGIN:VEVENT\nUID:x\nEND:VEVENT\n", "The feed holds no VCALENDAR")]
    [InlineData("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20260310T100000Z\nDURATION:PT1H\nRRULE:FREQ=FORTNIGHTLY\nEND:VEVENT\nEND:VCALENDAR\n", "The feed is not valid iCalendar: ")]
    public void A_malformed_feed_gives_a_one_line_feed_error_and_no_occurrences(string ics, string expected)
    {
        var result = CalendarFeedReader.Read("broken", ics, Utc("2026-03-01T00:00:00Z"), Utc("2026-04-01T00:00:00Z"), DefaultRequest);

        Assert.Equal("broken", result.FeedName);
        Assert.StartsWith(expected, result.FeedError);
        Assert.DoesNotContain('\n', result.FeedError!);
        Assert.DoesNotContain(" at ", result.FeedError!);
        Assert.Empty(result.Occurrences);
        Assert.Empty(result.Skipped);
    }

    // ----- the window -----

    [Fact]
    public void The_window_holds_meetings_in_progress_but_not_those_ended_or_not_yet_begun()
    {
        string At(string uid, string start, string end) => Event(uid, start, end, $"100ms-room-id: {Room}");
        var feed = Feed(
            At("ended-at-window-start", "20260310T090000Z", "20260310T100000Z"),
            At("in-progress", "20260310T093000Z", "20260310T103000Z"),
            At("starts-at-window-start", "20260310T100000Z", "20260310T110000Z"),
            At("starts-just-before-window-end", "20260310T115959Z", "20260310T123000Z"),
            At("starts-at-window-end", "20260310T120000Z", "20260310T130000Z"),
            At("next-day", "20260311T100000Z", "20260311T110000Z"));

        var result = Read(feed, "2026-03-10T10:00:00Z", "2026-03-10T12:00:00Z");

        Assert.Equal(["in-progress", "starts-at-window-start", "starts-just-before-window-end"], result.Occurrences.Select(o => o.EventUid));
    }

    [Fact]
    public void A_recurring_occurrence_in_progress_at_the_window_start_is_included()
    {
        var result = Read(Feed(WeeklySync), "2026-03-16T09:59:00+00:00", "2026-03-16T10:30:00+00:00");

        Assert.Equal("weekly-sync@example.com|20260316T090000Z", Assert.Single(result.Occurrences).OccurrenceKey);
    }

    // ----- determinism -----

    [Fact]
    public void Reading_the_same_feed_twice_gives_identical_results_sorted_by_start_then_key()
    {
        var feed = Feed(
            Event("b-same-start", "20260310T100000Z", "20260310T110000Z", $"100ms-room-id: {Room}"),
            WeeklySync,
            Event("a-same-start", "20260310T100000Z", "20260310T103000Z", $"100ms-room-id: {OtherRoom}"),
            Event("no-room", "20260311T100000Z", "20260311T110000Z"),
            "BEGIN:VEVENT\nSUMMARY:no uid\nDTSTART:20260312T100000Z\nDTEND:20260312T110000Z\nEND:VEVENT");

        var first = JsonSerializer.Serialize(Read(feed));
        var second = JsonSerializer.Serialize(Read(feed));

        Assert.Equal(first, second);
        var keys = Read(feed).Occurrences.Select(o => o.OccurrenceKey).ToList();
        Assert.Equal(["weekly-sync@example.com|20260302T090000Z", "weekly-sync@example.com|20260309T090000Z", "a-same-start", "b-same-start"], keys.Take(4));
    }
}
