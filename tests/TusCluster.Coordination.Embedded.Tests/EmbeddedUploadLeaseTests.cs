using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Embedded.Tests;

public sealed class EmbeddedUploadLeaseTests : IDisposable
{
    private readonly TemporaryDirectory _temp = new();
    private readonly string _directory;

    public EmbeddedUploadLeaseTests()
    {
        _directory = Path.Combine(_temp.Path, "meta");
    }

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fencing_tokens_keep_increasing_across_a_restart()
    {
        var id = UploadId.New();
        var first = CoordinationFixture.Create(_directory);
        for (var i = 0; i < 10; i++)
        {
            await using var lease = await first.AcquireAsync(id, CoordinationFixture.Generous, Ct);
            await lease.CommitAsync(CoordinationFixture.NewRecord(id, offset: i), Ct);
        }

        var before = (await first.GetAsync(id, Ct))!.Fence;
        var restarted = CoordinationFixture.Create(_directory);

        await using var again = await restarted.AcquireAsync(id, CoordinationFixture.Generous, Ct);

        Assert.Equal(before, again.Record?.Fence);
        Assert.True(again.FencingToken > before, $"{again.FencingToken} after a restart is not above {before}");
    }

    [Fact]
    public async Task Fencing_tokens_exceed_every_stored_fence_after_a_restart_even_when_the_clock_went_back()
    {
        // The previous run's clock was an hour ahead (NTP has stepped it back since, or the process
        // moved to a node whose clock is behind). Its holders got tokens seeded from that clock.
        var id = UploadId.New();
        var earlierToken = DateTime.UtcNow.AddHours(1).Ticks;
        new UploadRecordFiles(_directory, fsync: false).Write(CoordinationFixture.NewRecord(id, offset: 10) with { Fence = earlierToken }, earlierToken);
        var restarted = CoordinationFixture.Create(_directory);

        await using var lease = await restarted.AcquireAsync(id, CoordinationFixture.Generous, Ct);

        Assert.Equal(earlierToken, lease.Record?.Fence);
        Assert.True(
            lease.FencingToken > earlierToken,
            $"the new holder's token {lease.FencingToken} is not above the earlier holder's {earlierToken}");
    }

    [Fact]
    public async Task A_released_holder_cannot_commit_even_when_nobody_holds_the_upload()
    {
        var coordination = CoordinationFixture.Create(_directory);
        var id = UploadId.New();
        var holder = await coordination.AcquireAsync(id, CoordinationFixture.Generous, Ct);
        await holder.DisposeAsync();

        await Assert.ThrowsAsync<LeaseLostException>(async () => await holder.CommitAsync(CoordinationFixture.NewRecord(id), Ct));

        Assert.Null(await coordination.GetAsync(id, Ct));
    }

    [Fact]
    public async Task Fencing_tokens_strictly_increase_across_successive_holders_under_contention()
    {
        // Many threads take and release the lease of one upload as fast as they can; every holder
        // compares its token with the previous holder's while it holds the lease.
        var coordination = CoordinationFixture.Create(_directory);
        var id = UploadId.New();
        await using (var creator = await coordination.AcquireAsync(id, CoordinationFixture.Generous, Ct))
        {
            await creator.CommitAsync(CoordinationFixture.NewRecord(id), Ct);
        }

        var race = new HolderRace();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        budget.CancelAfter(TimeSpan.FromSeconds(20));

        var workers = Enumerable.Range(0, 32)
            .Select(_ => Task.Factory.StartNew(() => race.Run(coordination, id, budget), Ct, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(1), Ct);

        Assert.True(
            race.Inversion is null,
            $"after {race.Holders} holders, a holder got token {race.Inversion?.Later} after a holder with token {race.Inversion?.Earlier}");
    }

    /// <summary>Takes and releases one lease in a tight loop and notes the first token that did not increase.</summary>
    private sealed class HolderRace
    {
        private readonly Lock _gate = new();
        private long _last = long.MinValue;

        public long Holders { get; private set; }

        public (long Earlier, long Later)? Inversion { get; private set; }

        public void Run(EmbeddedUploadCoordination coordination, string id, CancellationTokenSource budget)
        {
            while (!budget.IsCancellationRequested)
            {
                var acquiring = coordination.AcquireAsync(id, CoordinationFixture.Generous, CancellationToken.None);
                var lease = acquiring.IsCompletedSuccessfully ? acquiring.Result : acquiring.AsTask().GetAwaiter().GetResult();
                lock (_gate)
                {
                    Holders++;
                    if (lease.FencingToken <= _last)
                    {
                        Inversion ??= (_last, lease.FencingToken);
                        budget.Cancel();
                    }

                    _last = lease.FencingToken;
                }

                lease.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }
}
