using RecordingFunctions.Hms;
using RecordingFunctions.Pipeline;

namespace RecordingFunctions.Tests.Pipeline;

/// <summary>Which 100ms events are a recording's own, and which count only once.</summary>
public class PipelineInboxTests
{
    private const string Room = "64a0000000000000000000aa";
    private const string Session = "64a0000000000000000000bb";
    private const string Recording = "64a0000000000000000000cc";
    private const string Beam = "64a0000000000000000000c1";
    private const string Earlier = "64a0000000000000000000ee";
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static PipelineInbox Started()
    {
        var inbox = new PipelineInbox(Room);
        inbox.RecordingStarted(Recording, Session, Start);
        return inbox;
    }

    private static PipelineEvent Event(string type, string? job = null, string? beam = null, string? recording = null, DateTimeOffset? at = null) => new()
    {
        Id = Guid.NewGuid().ToString(),
        Type = type,
        RoomId = Room,
        SessionId = Session,
        RecordingId = recording,
        JobId = job,
        BeamId = beam,
        At = at ?? Start.AddMinutes(5),
    };

    [Fact]
    public void Events_naming_the_recording_or_a_job_its_events_carried_are_ours()
    {
        var inbox = Started();

        Assert.Equal(EventAttribution.Ours, inbox.Attribute(Event(HmsWebhookEventTypes.BeamStartedSuccess, job: Recording, beam: Beam)));
        // The beam id was learnt from the event above.
        Assert.Equal(EventAttribution.Ours, inbox.Attribute(Event(HmsWebhookEventTypes.BeamStoppedSuccess, beam: Beam)));
        Assert.Equal(EventAttribution.Ours, inbox.Attribute(Event(HmsWebhookEventTypes.TranscriptionSuccess, recording: Recording)));
    }

    [Fact]
    public void Streams_other_recordings_and_other_sessions_are_foreign()
    {
        var inbox = Started();

        Assert.Equal(EventAttribution.Foreign, inbox.Attribute(Event(HmsWebhookEventTypes.BeamFailure, job: "s1") with { RecordingEnabled = false }));
        Assert.Equal(EventAttribution.Foreign, inbox.Attribute(Event(HmsWebhookEventTypes.BeamStoppedSuccess, job: "s2") with { StreamsRtmp = true }));
        Assert.Equal(EventAttribution.Foreign, inbox.Attribute(Event(HmsWebhookEventTypes.BeamRecordingSuccess, job: Earlier, recording: Earlier)));
        // The earlier recording's job is now known to be another's, whatever the event says otherwise.
        Assert.Equal(EventAttribution.Foreign, inbox.Attribute(Event(HmsWebhookEventTypes.BeamFailure, job: Earlier)));
        Assert.Equal(EventAttribution.Foreign, inbox.Attribute(Event(HmsWebhookEventTypes.BeamFailure, job: "x") with { SessionId = "64a00000000000000000ffff" }));
        Assert.Equal(EventAttribution.Foreign, inbox.Attribute(Event(HmsWebhookEventTypes.BeamFailure, job: "y", at: Start.AddHours(-1))));
        Assert.Equal(EventAttribution.Foreign, inbox.Attribute(Event(HmsWebhookEventTypes.BeamFailure, job: Recording) with { RoomId = "64a00000000000000000abcd" }));
    }

    [Fact]
    public void A_stop_of_an_unknown_job_in_the_session_is_unsure_until_100ms_says_it_was_not_ours()
    {
        var inbox = Started();
        var stop = Event(HmsWebhookEventTypes.BeamStoppedSuccess, job: "j9", beam: "b9");

        Assert.Equal(EventAttribution.Unsure, inbox.Attribute(stop));
        inbox.NotOurs(stop);
        Assert.Equal(EventAttribution.Foreign, inbox.Attribute(Event(HmsWebhookEventTypes.BeamFailure, beam: "b9")));
    }

    [Fact]
    public void Retries_duplicates_and_replays_count_once()
    {
        var inbox = Started();
        var stopped = Event(HmsWebhookEventTypes.BeamStoppedSuccess, job: Recording);

        Assert.Equal(EventAttribution.Ours, inbox.Attribute(stopped));
        Assert.Equal(EventAttribution.Repeat, inbox.Attribute(stopped));
        Assert.Equal(EventAttribution.Repeat, inbox.Attribute(stopped with { Id = Guid.NewGuid().ToString(), IsReplay = true }));
        Assert.Equal(EventAttribution.Ours, inbox.Attribute(stopped with { Id = Guid.NewGuid().ToString(), At = stopped.At!.Value.AddSeconds(1) }));
    }

    [Fact]
    public void Before_the_recording_exists_nothing_is_ours()
    {
        var inbox = new PipelineInbox(Room);

        Assert.Equal(EventAttribution.Foreign, inbox.Attribute(Event(HmsWebhookEventTypes.BeamFailure, job: Recording, recording: Recording)));
    }
}
