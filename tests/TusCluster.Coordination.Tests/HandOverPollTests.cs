using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Tests;

public sealed class HandOverPollTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task Looks_while_a_lease_is_held_stops_with_the_last_and_starts_again_with_the_next()
    {
        var held = true;
        var looks = 0;
        await using var poll = new HandOverPoll(Interval, () => Volatile.Read(ref held), _ => Task.FromResult(Interlocked.Increment(ref looks)), _ => { });

        poll.Start();
        await Eventually.HoldsAsync(() => Volatile.Read(ref looks) >= 3, "three looks while a lease is held");

        Volatile.Write(ref held, false);
        await Eventually.HoldsAsync(() => !poll.IsRunning, "the loop to end with the last lease");
        var afterLast = Volatile.Read(ref looks);
        await Task.Delay(Interval * 10, TestContext.Current.CancellationToken);
        Assert.Equal(afterLast, Volatile.Read(ref looks));

        Volatile.Write(ref held, true);
        poll.Start();
        await Eventually.HoldsAsync(() => Volatile.Read(ref looks) >= afterLast + 3, "looks again after the next lease");
    }

    [Fact]
    public async Task A_look_that_cannot_reach_the_backend_is_reported_and_the_next_one_comes()
    {
        var looks = 0;
        var failures = new List<CoordinationUnavailableException>();
        await using var poll = new HandOverPoll(Interval, () => true, _ => Interlocked.Increment(ref looks) == 1
            ? Task.FromException(new CoordinationUnavailableException("down"))
            : Task.CompletedTask, e => { lock (failures) { failures.Add(e); } });

        poll.Start();

        await Eventually.HoldsAsync(() => Volatile.Read(ref looks) >= 3, "looks after a failed one");
        lock (failures)
        {
            Assert.Equal("down", Assert.Single(failures).Message);
        }
    }

    [Fact]
    public async Task Nothing_is_looked_at_after_disposal()
    {
        var looks = 0;
        var poll = new HandOverPoll(Interval, () => true, _ => Task.FromResult(Interlocked.Increment(ref looks)), _ => { });
        poll.Start();
        await Eventually.HoldsAsync(() => Volatile.Read(ref looks) >= 1, "a first look");

        await poll.DisposeAsync();
        var atDisposal = Volatile.Read(ref looks);
        poll.Start();
        await Task.Delay(Interval * 10, TestContext.Current.CancellationToken);

        Assert.Equal(atDisposal, Volatile.Read(ref looks));
        Assert.False(poll.IsRunning);
    }
}
