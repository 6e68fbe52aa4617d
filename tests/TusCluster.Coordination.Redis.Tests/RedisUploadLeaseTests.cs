using System.Collections.Concurrent;
using System.Diagnostics;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Redis.Tests;

public sealed class RedisUploadLeaseTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RedisServer Server => redis.Server;

    [Fact]
    public async Task Acquiring_a_free_upload_returns_a_lease_without_a_record()
    {
        await using var coordination = Fixtures.Create(Server);
        var id = UploadId.New();

        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);

        Assert.Equal(id, lease.UploadId);
        Assert.Null(lease.Record);
        Assert.True(lease.FencingToken > 0);
        Assert.False(lease.HandOverRequested.IsCancellationRequested);
        Assert.False(lease.Lost.IsCancellationRequested);
        Assert.Null(await coordination.GetAsync(id, Ct));
    }

    [Fact]
    public async Task Commit_stores_the_record_with_the_lease_token_and_the_next_holder_gets_it()
    {
        await using var coordination = Fixtures.Create(Server);
        var id = UploadId.New();
        UploadRecord stored;
        await using (var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            stored = await lease.CommitAsync(
                Fixtures.NewRecord(id, offset: 12, expiresAt: DateTimeOffset.UnixEpoch.AddDays(20000)) with
                {
                    Fence = 1,
                    Kind = UploadKind.Final,
                    PartialIds = [UploadId.New(), UploadId.New()],
                    Status = UploadStatus.Finished,
                },
                Ct);
            Assert.Equal(lease.FencingToken, stored.Fence);
            Assert.Same(stored, lease.Record);
        }

        Fixtures.AssertSameRecord(stored, await coordination.GetAsync(id, Ct));
        await using var other = Fixtures.Create(Server);
        Fixtures.AssertSameRecord(stored, await other.GetAsync(id, Ct));
        await using var next = await other.AcquireAsync(id, Fixtures.Generous, Ct);
        Fixtures.AssertSameRecord(stored, next.Record);
        Assert.True(next.FencingToken > stored.Fence);
    }

    [Fact]
    public async Task Records_are_stored_as_json_with_enums_as_strings_under_hash_tagged_keys()
    {
        await using var coordination = Fixtures.Create(Server);
        var id = UploadId.New();
        await using (var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            await lease.CommitAsync(Fixtures.NewRecord(id) with { Status = UploadStatus.Terminated }, Ct);
        }

        var json = (await coordination.Client.CommandAsync(["GET", $"tus:{{{id}}}:record"], Ct)).AsString();
        Assert.Contains("\"Status\":\"Terminated\"", json, StringComparison.Ordinal);
        Assert.Equal("1", (await coordination.Client.CommandAsync(["EXISTS", $"tus:{{{id}}}:fence"], Ct)).AsString());
        Assert.Equal("0", (await coordination.Client.CommandAsync(["EXISTS", $"tus:{{{id}}}:lock"], Ct)).AsString());
    }

    [Fact]
    public async Task Fencing_tokens_strictly_increase_across_successive_holders_and_instances()
    {
        await using var a = Fixtures.Create(Server);
        await using var b = Fixtures.Create(Server);
        var id = UploadId.New();
        var previous = long.MinValue;

        for (var i = 0; i < 30; i++)
        {
            await using var lease = await (i % 2 == 0 ? a : b).AcquireAsync(id, Fixtures.Generous, Ct);
            Assert.True(lease.FencingToken > previous, $"holder {i} got {lease.FencingToken} after {previous}");
            var stored = await lease.CommitAsync(Fixtures.NewRecord(id, offset: i), Ct);
            Assert.Equal(lease.FencingToken, stored.Fence);
            previous = lease.FencingToken;
        }
    }

    [Fact]
    public async Task Fencing_tokens_stay_above_the_stored_fence_even_when_the_counter_was_lost()
    {
        await using var coordination = Fixtures.Create(Server);
        var id = UploadId.New();
        UploadRecord stored;
        await using (var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            stored = await lease.CommitAsync(Fixtures.NewRecord(id), Ct);
        }

        // A record written elsewhere (the embedded backend seeds tokens with clock ticks, past 2^53),
        // and a counter lost or behind.
        const long Huge = 638_999_999_999_999_999;
        var imported = System.Text.Json.JsonSerializer.Serialize(stored with { Fence = Huge }, RecordJsonContext.Default.UploadRecord);
        await coordination.Client.CommandAsync(["SET", $"tus:{{{id}}}:record", imported], Ct);
        await coordination.Client.CommandAsync(["SET", $"tus:{{{id}}}:fence", "3"], Ct);

        await using (var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            Assert.Equal(Huge + 1, lease.FencingToken);
            Assert.Equal(Huge + 1, (await lease.CommitAsync(lease.Record!, Ct)).Fence);
        }

        await coordination.Client.CommandAsync(["DEL", $"tus:{{{id}}}:fence"], Ct);
        await using var next = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        Assert.Equal(Huge + 2, next.FencingToken);
    }

    [Fact]
    public async Task Remove_deletes_record_and_expiry_entry_but_tokens_keep_increasing()
    {
        await using var coordination = Fixtures.Create(Server, o => o.KeyPrefix = $"rm-{Guid.NewGuid():N}:");
        var id = UploadId.New();
        long removerToken;
        await using (var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            await lease.CommitAsync(Fixtures.NewRecord(id, expiresAt: DateTimeOffset.UnixEpoch.AddDays(1)), Ct);
        }

        await using (var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            removerToken = lease.FencingToken;
            await lease.RemoveAsync(Ct);
            Assert.Null(lease.Record);
        }

        Assert.Null(await coordination.GetAsync(id, Ct));
        Assert.Empty(await coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, 10, Ct));
        await using var again = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        Assert.True(again.FencingToken > removerToken);
    }

    [Fact]
    public async Task A_released_holder_can_no_longer_commit_or_remove()
    {
        await using var coordination = Fixtures.Create(Server);
        var id = UploadId.New();
        var holder = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        var committed = await holder.CommitAsync(Fixtures.NewRecord(id, offset: 3), Ct);
        await holder.DisposeAsync();
        await holder.DisposeAsync();

        await Assert.ThrowsAsync<LeaseLostException>(async () => await holder.CommitAsync(committed with { Offset = 999 }, Ct));
        await Assert.ThrowsAsync<LeaseLostException>(async () => await holder.RemoveAsync(Ct));

        Fixtures.AssertSameRecord(committed, await coordination.GetAsync(id, Ct));
    }

    [Fact]
    public async Task Disposing_a_lease_twice_does_not_release_the_next_holder()
    {
        await using var coordination = Fixtures.Create(Server);
        var id = UploadId.New();
        var first = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        await first.DisposeAsync();
        await using var second = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);

        await first.DisposeAsync();

        await second.CommitAsync(Fixtures.NewRecord(id), Ct);
        await Assert.ThrowsAsync<LockTimeoutException>(async () => await coordination.AcquireAsync(id, TimeSpan.FromMilliseconds(200), Ct));
    }

    [Fact]
    public async Task Hand_over_across_two_replicas()
    {
        await using var a = Fixtures.Create(Server);
        await using var b = Fixtures.Create(Server);
        await a.Subscribed.WaitAsync(Fixtures.Generous, Ct);
        var id = UploadId.New();
        var holder = await a.AcquireAsync(id, Fixtures.Generous, Ct);
        var committed = await holder.CommitAsync(Fixtures.NewRecord(id, offset: 3), Ct);
        var handOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = holder.HandOverRequested.Register(() => handOver.TrySetResult());

        var second = b.AcquireAsync(id, TimeSpan.FromSeconds(10), Ct).AsTask();

        await handOver.Task.WaitAsync(Fixtures.Generous, Ct);
        Assert.False(second.IsCompleted);
        var final = await holder.CommitAsync(committed with { Offset = 7 }, Ct);
        var released = Stopwatch.StartNew();
        await holder.DisposeAsync();
        await using var next = await second.WaitAsync(Fixtures.Generous, Ct);
        released.Stop();

        Assert.True(released.Elapsed < TimeSpan.FromSeconds(1), $"the newcomer needed {released.Elapsed} after the release");
        Assert.True(next.FencingToken > holder.FencingToken);
        Fixtures.AssertSameRecord(final, next.Record);
        Assert.False(next.HandOverRequested.IsCancellationRequested);
        Assert.False(holder.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task Acquiring_times_out_when_the_holder_ignores_the_hand_over()
    {
        await using var a = Fixtures.Create(Server);
        await using var b = Fixtures.Create(Server);
        await a.Subscribed.WaitAsync(Fixtures.Generous, Ct);
        var id = UploadId.New();
        await using var holder = await a.AcquireAsync(id, Fixtures.Generous, Ct);
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<LockTimeoutException>(async () => await b.AcquireAsync(id, TimeSpan.FromMilliseconds(400), Ct));

        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(3));
        Assert.True(holder.HandOverRequested.IsCancellationRequested);
        var stored = await holder.CommitAsync(Fixtures.NewRecord(id, offset: 1), Ct);
        Fixtures.AssertSameRecord(stored, await b.GetAsync(id, Ct));
    }

    [Fact]
    public async Task Acquiring_with_a_zero_timeout_fails_at_once_on_a_held_upload()
    {
        await using var coordination = Fixtures.Create(Server);
        var id = UploadId.New();
        await using var holder = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);

        await Assert.ThrowsAsync<LockTimeoutException>(async () => await coordination.AcquireAsync(id, TimeSpan.Zero, Ct));
    }

    [Fact]
    public async Task A_cancelled_acquire_stops_waiting_and_leaves_the_holder_in_place()
    {
        await using var coordination = Fixtures.Create(Server);
        var id = UploadId.New();
        await using var holder = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var waiting = coordination.AcquireAsync(id, Fixtures.Generous, cancel.Token).AsTask();
        await Task.Delay(100, Ct);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Fixtures.Generous, Ct));
        await holder.CommitAsync(Fixtures.NewRecord(id), Ct);
    }

    [Fact]
    public async Task The_keep_alive_holds_the_lease_beyond_its_ttl()
    {
        await using var a = Fixtures.Create(Server, o => o.LeaseTtl = TimeSpan.FromMilliseconds(900));
        await using var b = Fixtures.Create(Server, o => o.LeaseTtl = TimeSpan.FromMilliseconds(900));
        var id = UploadId.New();
        await using var holder = await a.AcquireAsync(id, Fixtures.Generous, Ct);

        await Task.Delay(2500, Ct);

        Assert.False(holder.Lost.IsCancellationRequested);
        await Assert.ThrowsAsync<LockTimeoutException>(async () => await b.AcquireAsync(id, TimeSpan.Zero, Ct));
        await holder.CommitAsync(Fixtures.NewRecord(id, offset: 5), Ct);
    }

    [Fact]
    public async Task A_holder_whose_keep_alive_stops_loses_the_lease_and_cannot_commit_over_the_new_holder()
    {
        await using var a = Fixtures.Create(Server, o => o.LeaseTtl = TimeSpan.FromMilliseconds(600));
        await using var b = Fixtures.Create(Server, o => o.LeaseTtl = TimeSpan.FromMilliseconds(600));
        var id = UploadId.New();
        var stale = (RedisUploadLease)await a.AcquireAsync(id, Fixtures.Generous, Ct);
        var before = await stale.CommitAsync(Fixtures.NewRecord(id, offset: 1), Ct);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = stale.Lost.Register(() => lost.TrySetResult());

        stale.PauseKeepAlive();
        var watch = Stopwatch.StartNew();
        await lost.Task.WaitAsync(Fixtures.Generous, Ct);
        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(1500), $"Lost fired after {watch.Elapsed}");

        // The stale holder ignores the hand-over (it is "paused"); the lock expires and B gets it.
        await using var fresh = await b.AcquireAsync(id, TimeSpan.FromSeconds(5), Ct);
        Assert.True(fresh.FencingToken > stale.FencingToken);
        Fixtures.AssertSameRecord(before, fresh.Record);
        var current = await fresh.CommitAsync(before with { Offset = 2 }, Ct);

        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.CommitAsync(before with { Offset = 999 }, Ct));
        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.RemoveAsync(Ct));
        await stale.DisposeAsync();

        Fixtures.AssertSameRecord(current, await a.GetAsync(id, Ct));
        await fresh.CommitAsync(current with { Offset = 3 }, Ct);
    }

    [Fact]
    public async Task Lost_fires_when_another_holder_has_taken_the_lock()
    {
        await using var coordination = Fixtures.Create(Server, o => o.LeaseTtl = TimeSpan.FromMilliseconds(600));
        var id = UploadId.New();
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lease.Lost.Register(() => lost.TrySetResult());

        // Someone overwrote the lock (an operator, a bug): the next renewal notices.
        await coordination.Client.CommandAsync(["SET", $"tus:{{{id}}}:lock", "424242", "PX", "60000"], Ct);

        await lost.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        await Assert.ThrowsAsync<LeaseLostException>(async () => await lease.CommitAsync(Fixtures.NewRecord(id), Ct));
        await coordination.Client.CommandAsync(["DEL", $"tus:{{{id}}}:lock"], Ct);
    }

    [Fact]
    public async Task Concurrent_acquirers_on_two_replicas_lose_no_update()
    {
        const int Workers = 20;
        const int RoundsPerWorker = 5;
        await using var a = Fixtures.Create(Server);
        await using var b = Fixtures.Create(Server);
        var id = UploadId.New();
        await using (var creator = await a.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            await creator.CommitAsync(Fixtures.NewRecord(id, offset: 0), Ct);
        }

        var successes = 0;
        var fencesByCounter = new ConcurrentDictionary<long, long>();
        var holding = 0;
        var overlaps = 0;
        var last = long.MinValue;
        var inversions = 0;
        var gate = new Lock();
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(
            async () =>
            {
                for (var round = 0; round < RoundsPerWorker; round++)
                {
                    await using var lease = await (w % 2 == 0 ? a : b).AcquireAsync(id, Fixtures.Generous, Ct);
                    if (Interlocked.Increment(ref holding) != 1)
                    {
                        Interlocked.Increment(ref overlaps);
                    }

                    lock (gate)
                    {
                        if (lease.FencingToken <= last)
                        {
                            inversions++;
                        }

                        last = lease.FencingToken;
                    }

                    var counter = lease.Record!.Offset;
                    await Task.Yield();
                    var stored = await lease.CommitAsync(lease.Record with { Offset = counter + 1 }, Ct);
                    Assert.True(fencesByCounter.TryAdd(stored.Offset, stored.Fence), $"counter {stored.Offset} was committed twice");
                    Interlocked.Increment(ref successes);
                    Interlocked.Decrement(ref holding);
                }
            },
            Ct)).ToArray();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(1), Ct);

        Assert.Equal(Workers * RoundsPerWorker, successes);
        Assert.Equal(0, overlaps);
        Assert.Equal(0, inversions);
        Assert.Equal(successes, (await a.GetAsync(id, Ct))?.Offset);
        Assert.Equal(successes, fencesByCounter.Values.Distinct().Count());
    }

    [Fact]
    public async Task Records_of_different_uploads_are_independent()
    {
        await using var coordination = Fixtures.Create(Server);
        var first = UploadId.New();
        var second = UploadId.New();

        await using var a = await coordination.AcquireAsync(first, Fixtures.Generous, Ct);
        await using var b = await coordination.AcquireAsync(second, Fixtures.Generous, Ct);
        await a.CommitAsync(Fixtures.NewRecord(first, offset: 1), Ct);
        await b.CommitAsync(Fixtures.NewRecord(second, offset: 2), Ct);

        Assert.Equal(1, (await coordination.GetAsync(first, Ct))?.Offset);
        Assert.Equal(2, (await coordination.GetAsync(second, Ct))?.Offset);
        Assert.False(a.HandOverRequested.IsCancellationRequested);
        Assert.False(b.HandOverRequested.IsCancellationRequested);
    }

    [Fact]
    public async Task An_unreadable_record_fails_the_acquire_without_keeping_the_lock()
    {
        await using var coordination = Fixtures.Create(Server);
        var id = UploadId.New();
        await coordination.Client.CommandAsync(["SET", $"tus:{{{id}}}:record", "{not json"], Ct);

        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.AcquireAsync(id, Fixtures.Generous, Ct));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.GetAsync(id, Ct));

        Assert.Equal(0, (await coordination.Client.CommandAsync(["EXISTS", $"tus:{{{id}}}:lock"], Ct)).Integer);
    }

    [Fact]
    public async Task A_commit_for_another_upload_is_refused()
    {
        await using var coordination = Fixtures.Create(Server);
        var id = UploadId.New();
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);

        await Assert.ThrowsAsync<ArgumentException>(async () => await lease.CommitAsync(Fixtures.NewRecord(UploadId.New()), Ct));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{0123456789abcdef0123456789abcde}")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("0123456789abcdef0123456789abcde*")]
    public async Task Ids_that_are_not_upload_ids_never_reach_redis(string id)
    {
        await using var coordination = Fixtures.Create(Server);

        await Assert.ThrowsAsync<ArgumentException>(async () => await coordination.GetAsync(id, Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await coordination.AcquireAsync(id, Fixtures.Generous, Ct));
    }

    [Fact]
    public async Task Is_healthy_while_redis_answers()
    {
        await using var coordination = Fixtures.Create(Server);

        Assert.True(await coordination.IsHealthyAsync(Ct));
    }
}
