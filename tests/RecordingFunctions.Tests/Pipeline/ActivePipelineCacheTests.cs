using RecordingFunctions.Tests.Hms;
using RecordingFunctions.Pipeline;

namespace RecordingFunctions.Tests.Pipeline;

/// <summary>The receiver's memory of running pipelines: it saves lookups and never hides a pipeline it could know about.</summary>
public sealed class ActivePipelineCacheTests
{
    private const string Room = "64a1b2c3d4e5f60718293a4b";
    private static readonly ActivePipeline First = new($"{Room}-{new string('1', 32)}", "rec-1");
    private static readonly ActivePipeline Second = new($"{Room}-{new string('2', 32)}", null);

    private readonly ManualClock clock = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private readonly ActivePipelineCache cache;
    private IReadOnlyList<ActivePipeline> running = [First];
    private int lookups;

    public ActivePipelineCacheTests() => cache = new ActivePipelineCache(clock);

    private Task<IReadOnlyList<ActivePipeline>> GetAsync(string? recordingId = null) =>
        cache.GetAsync(Room, recordingId, _ =>
        {
            lookups++;
            return Task.FromResult(running);
        }, CancellationToken.None);

    [Fact]
    public async Task Events_within_the_lifetime_share_one_lookup()
    {
        Assert.Equal([First], await GetAsync());
        clock.Now += ActivePipelineCache.Lifetime - TimeSpan.FromMilliseconds(1);
        Assert.Equal([First], await GetAsync());
        Assert.Equal(1, lookups);
    }

    [Fact]
    public async Task After_the_lifetime_the_room_is_looked_up_again()
    {
        await GetAsync();
        running = [First, Second];
        clock.Now += ActivePipelineCache.Lifetime;
        Assert.Equal([First, Second], await GetAsync());
        Assert.Equal(2, lookups);
    }

    [Fact]
    public async Task A_room_without_running_pipelines_is_not_remembered()
    {
        running = [];
        Assert.Empty(await GetAsync());
        running = [First];
        Assert.Equal([First], await GetAsync());
        Assert.Equal(2, lookups);
    }

    [Fact]
    public async Task Starting_a_pipeline_makes_the_next_event_look_again()
    {
        await GetAsync();
        running = [First, Second];
        cache.Forget(Room);
        Assert.Equal([First, Second], await GetAsync());
        Assert.Equal(2, lookups);
    }

    [Fact]
    public async Task A_lookup_overtaken_by_a_start_is_used_once_and_not_kept()
    {
        var found = await cache.GetAsync(Room, null, _ =>
        {
            // The start lands while this lookup is on its way back, without the new pipeline.
            cache.Forget(Room);
            return Task.FromResult<IReadOnlyList<ActivePipeline>>([First]);
        }, CancellationToken.None);
        Assert.Equal([First], found);

        running = [First, Second];
        Assert.Equal([First, Second], await GetAsync());
        Assert.Equal(1, lookups);
    }

    [Fact]
    public async Task An_event_for_a_recording_no_remembered_pipeline_has_reported_looks_again()
    {
        await GetAsync();
        Assert.Equal([First], await GetAsync("rec-1"));
        Assert.Equal(1, lookups);

        running = [First, Second with { RecordingId = "rec-2" }];
        Assert.Equal(running, await GetAsync("rec-2"));
        Assert.Equal(2, lookups);
        Assert.Equal(running, await GetAsync("rec-2"));
        Assert.Equal(2, lookups);
    }

    [Fact]
    public async Task Rooms_are_remembered_apart()
    {
        await GetAsync();
        const string otherRoom = "0123456789abcdef01234567";
        var other = await cache.GetAsync(otherRoom, null, _ => Task.FromResult<IReadOnlyList<ActivePipeline>>([]), CancellationToken.None);
        Assert.Empty(other);
        cache.Forget(otherRoom);
        Assert.Equal([First], await GetAsync());
        Assert.Equal(1, lookups);
    }
}
