namespace TusCluster.Coordination.Tests;

public sealed class PollScheduleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    [InlineData(199)]
    public void Looks_at_the_fastest_pace_while_the_holder_is_expected_to_answer(int waitedMs)
    {
        var schedule = PollSchedule.ForHolderPolling(Interval, Interval);

        Assert.Equal(PollSchedule.Fastest, schedule.Next(TimeSpan.FromMilliseconds(waitedMs)));
    }

    [Theory]
    [InlineData(200, 10)]
    [InlineData(205, 10)]
    [InlineData(230, 30)]
    [InlineData(260, 60)]
    [InlineData(300, 100)]
    [InlineData(10_000, 100)]
    public void Then_waits_as_long_as_it_waited_past_the_window_up_to_the_slowest(int waitedMs, int expectedMs)
    {
        var schedule = PollSchedule.ForHolderPolling(Interval, Interval);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), schedule.Next(TimeSpan.FromMilliseconds(waitedMs)));
    }

    [Fact]
    public void A_slowest_below_the_fastest_pace_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PollSchedule(Interval, TimeSpan.FromMilliseconds(1)));

    [Fact]
    public async Task A_scheduled_release_wait_ends_long_before_its_longest_wait_when_nothing_is_released()
    {
        var signals = new ReleaseSignals();
        await using var wait = new ReleaseSignalWait<int>(signals, "upload", new PollSchedule(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10)));
        wait.Arm();

        var waited = wait.WaitAsync(0, TimeSpan.FromHours(1), TestContext.Current.CancellationToken);

        // The schedule says look again after 10 ms; the bound only keeps a broken wait from hanging the run.
        await waited.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Only_one_waiter_per_upload_polls_on_the_schedule_and_the_next_takes_over_when_it_is_done()
    {
        var signals = new ReleaseSignals();
        var schedule = new PollSchedule(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10));
        var first = new ReleaseSignalWait<int>(signals, "upload", schedule);
        await using var second = new ReleaseSignalWait<int>(signals, "upload", schedule);
        first.Arm();
        second.Arm();

        await first.WaitAsync(0, TimeSpan.FromHours(1), TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        var follower = second.WaitAsync(0, TimeSpan.FromHours(1), TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(follower.IsCompleted);

        // The leader took the lock and let go of the lead: its release signal wakes the follower, whose next wait leads.
        await first.DisposeAsync();
        signals.Signal("upload");
        await follower.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        second.Arm();
        await second.WaitAsync(0, TimeSpan.FromHours(1), TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_release_wait_without_a_schedule_waits_for_the_release()
    {
        var signals = new ReleaseSignals();
        await using var wait = new ReleaseSignalWait<int>(signals, "upload");
        wait.Arm();

        var waited = wait.WaitAsync(0, TimeSpan.FromHours(1), TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(waited.IsCompleted);

        signals.Signal("upload");
        await waited.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
    }
}
