using System.Collections.Concurrent;
using System.Diagnostics;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Contract;

/// <summary>Leases, fencing, commits and hand-over: what every coordination backend must do alike.</summary>
public abstract class UploadLeaseContract : CoordinationContract
{
    [Fact]
    public async Task Acquiring_a_free_upload_returns_a_lease_without_a_record()
    {
        var coordination = Replica();
        var id = UploadId.New();

        await using var lease = await coordination.AcquireAsync(id, Generous, Ct);

        Assert.Equal(id, lease.UploadId);
        Assert.Null(lease.Record);
        Assert.True(lease.FencingToken > 0);
        Assert.False(lease.HandOverRequested.IsCancellationRequested);
        Assert.False(lease.Lost.IsCancellationRequested);
        Assert.Null(await coordination.GetAsync(id, Ct));
    }

    [Fact]
    public async Task Commit_stores_the_record_with_the_lease_token_and_another_replica_gets_it()
    {
        var coordination = Replica();
        var id = UploadId.New();
        UploadRecord stored;
        await using (var lease = await coordination.AcquireAsync(id, Generous, Ct))
        {
            stored = await lease.CommitAsync(
                NewRecord(id, offset: 12, expiresAt: DateTimeOffset.UnixEpoch.AddDays(20000)) with
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

        AssertSameRecord(stored, await coordination.GetAsync(id, Ct));
        var other = Replica();
        AssertSameRecord(stored, await other.GetAsync(id, Ct));
        await using var next = await other.AcquireAsync(id, Generous, Ct);
        AssertSameRecord(stored, next.Record);
        Assert.True(next.FencingToken > stored.Fence);
    }

    [Fact]
    public async Task Commit_and_release_stores_the_record_and_frees_the_upload_at_once()
    {
        var (a, b) = (Replica(), Replica());
        var id = UploadId.New();
        var lease = await a.AcquireAsync(id, Generous, Ct);

        var stored = await lease.CommitAndReleaseAsync(NewRecord(id, offset: 9, expiresAt: DateTimeOffset.UnixEpoch.AddDays(20000)), Ct);

        Assert.Equal(lease.FencingToken, stored.Fence);
        await using (var next = await b.AcquireAsync(id, TimeSpan.Zero, Ct))
        {
            AssertSameRecord(stored, next.Record);
            Assert.True(next.FencingToken > stored.Fence);
        }

        await Assert.ThrowsAsync<LeaseLostException>(async () => await lease.CommitAsync(stored with { Offset = 999 }, Ct));
        await lease.DisposeAsync();
        AssertSameRecord(stored, await b.GetAsync(id, Ct));
        Assert.Equal([new ExpiryEntry(id, stored.ExpiresAt!.Value)], (await b.ReadExpiredAsync(DateTimeOffset.MaxValue, 10, Ct)).Where(e => e.UploadId == id));
    }

    [Fact]
    public async Task Commit_and_release_by_a_released_holder_writes_nothing()
    {
        var coordination = Replica();
        var id = UploadId.New();
        var stale = await coordination.AcquireAsync(id, Generous, Ct);
        var committed = await stale.CommitAsync(NewRecord(id, offset: 3), Ct);
        await stale.DisposeAsync();
        await using var holder = await coordination.AcquireAsync(id, Generous, Ct);

        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.CommitAndReleaseAsync(committed with { Offset = 999 }, Ct));

        AssertSameRecord(committed, await coordination.GetAsync(id, Ct));
        await holder.CommitAsync(committed with { Offset = 4 }, Ct);
    }

    [Fact]
    public async Task Fencing_tokens_strictly_increase_across_successive_holders_and_replicas()
    {
        var (a, b) = (Replica(), Replica());
        var id = UploadId.New();
        var previous = long.MinValue;

        for (var i = 0; i < 30; i++)
        {
            await using var lease = await (i % 2 == 0 ? a : b).AcquireAsync(id, Generous, Ct);
            Assert.True(lease.FencingToken > previous, $"holder {i} got {lease.FencingToken} after {previous}");
            var stored = i % 3 == 0
                ? await lease.CommitAndReleaseAsync(NewRecord(id, offset: i), Ct)
                : await lease.CommitAsync(NewRecord(id, offset: i), Ct);
            Assert.Equal(lease.FencingToken, stored.Fence);
            previous = lease.FencingToken;
        }
    }

    [Fact]
    public async Task Remove_deletes_the_record_and_its_expiry_entry_and_tokens_keep_increasing()
    {
        var coordination = Replica();
        var id = UploadId.New();
        long removerToken;
        await CommitAsync(coordination, id, DateTimeOffset.UnixEpoch.AddDays(1));

        await using (var lease = await coordination.AcquireAsync(id, Generous, Ct))
        {
            removerToken = lease.FencingToken;
            await lease.RemoveAsync(Ct);
            Assert.Null(lease.Record);
        }

        Assert.Null(await coordination.GetAsync(id, Ct));
        Assert.DoesNotContain(await coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, 1000, Ct), e => e.UploadId == id);
        await using var again = await coordination.AcquireAsync(id, Generous, Ct);
        Assert.True(again.FencingToken > removerToken);
    }

    [Fact]
    public async Task Removing_an_upload_that_has_no_record_is_harmless()
    {
        var coordination = Replica();
        var id = UploadId.New();

        await using (var lease = await coordination.AcquireAsync(id, Generous, Ct))
        {
            await lease.RemoveAsync(Ct);
        }

        Assert.Null(await coordination.GetAsync(id, Ct));
    }

    [Fact]
    public async Task A_released_holder_can_no_longer_commit_or_remove()
    {
        var coordination = Replica();
        var id = UploadId.New();
        var holder = await coordination.AcquireAsync(id, Generous, Ct);
        var committed = await holder.CommitAsync(NewRecord(id, offset: 3), Ct);
        await holder.DisposeAsync();
        await holder.DisposeAsync();

        await Assert.ThrowsAsync<LeaseLostException>(async () => await holder.CommitAsync(committed with { Offset = 999 }, Ct));
        await Assert.ThrowsAsync<LeaseLostException>(async () => await holder.RemoveAsync(Ct));

        AssertSameRecord(committed, await coordination.GetAsync(id, Ct));
    }

    [Fact]
    public async Task Disposing_a_lease_twice_does_not_release_the_next_holder()
    {
        var coordination = Replica();
        var id = UploadId.New();
        var first = await coordination.AcquireAsync(id, Generous, Ct);
        await first.DisposeAsync();
        await using var second = await coordination.AcquireAsync(id, Generous, Ct);

        await first.DisposeAsync();

        await second.CommitAsync(NewRecord(id), Ct);
        await Assert.ThrowsAsync<LockTimeoutException>(async () => await Replica().AcquireAsync(id, TimeSpan.FromMilliseconds(200), Ct));
    }

    [Fact]
    public async Task A_holder_on_another_replica_is_asked_to_hand_over_and_the_newcomer_gets_the_lease_at_once()
    {
        var (a, b) = (Replica(), Replica());
        await ListeningForHandOverAsync(a);
        var id = UploadId.New();
        var holder = await a.AcquireAsync(id, Generous, Ct);
        var committed = await holder.CommitAsync(NewRecord(id, offset: 3), Ct);
        var handOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = holder.HandOverRequested.Register(() => handOver.TrySetResult());

        var second = b.AcquireAsync(id, TimeSpan.FromSeconds(10), Ct).AsTask();

        await handOver.Task.WaitAsync(Generous, Ct);
        Assert.False(second.IsCompleted);
        var released = Stopwatch.StartNew();
        var final = await holder.CommitAndReleaseAsync(committed with { Offset = 7 }, Ct);
        await using var next = await second.WaitAsync(Generous, Ct);
        released.Stop();

        Assert.True(released.Elapsed < TimeSpan.FromSeconds(1), $"the newcomer needed {released.Elapsed} after the release");
        Assert.True(next.FencingToken > holder.FencingToken);
        AssertSameRecord(final, next.Record);
        Assert.False(next.HandOverRequested.IsCancellationRequested);
        Assert.False(holder.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task Acquiring_times_out_when_the_holder_ignores_the_hand_over()
    {
        var (a, b) = (Replica(), Replica());
        await ListeningForHandOverAsync(a);
        var id = UploadId.New();
        await using var holder = await a.AcquireAsync(id, Generous, Ct);
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<LockTimeoutException>(async () => await b.AcquireAsync(id, TimeSpan.FromMilliseconds(400), Ct));

        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(5));

        // A backend whose holders poll for hand-over requests may tell the holder a moment later.
        await Task.Delay(Timeout.Infinite, holder.HandOverRequested).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(Generous, Ct);
        var stored = await holder.CommitAsync(NewRecord(id, offset: 1), Ct);
        AssertSameRecord(stored, await b.GetAsync(id, Ct));
    }

    [Fact]
    public async Task Acquiring_with_a_zero_timeout_fails_at_once_on_a_held_upload()
    {
        var coordination = Replica();
        var id = UploadId.New();
        await using var holder = await coordination.AcquireAsync(id, Generous, Ct);

        await Assert.ThrowsAsync<LockTimeoutException>(async () => await coordination.AcquireAsync(id, TimeSpan.Zero, Ct));
    }

    [Fact]
    public async Task A_cancelled_acquire_stops_waiting_and_leaves_the_holder_in_place()
    {
        var coordination = Replica();
        var id = UploadId.New();
        await using var holder = await coordination.AcquireAsync(id, Generous, Ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var waiting = coordination.AcquireAsync(id, Generous, cancel.Token).AsTask();
        await Task.Delay(100, Ct);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Generous, Ct));
        await holder.CommitAsync(NewRecord(id), Ct);
    }

    /// <summary>
    /// Rounds each of the 20 workers of the concurrency test makes. The rounds run one at a time, so a
    /// backend whose round trip is tens of milliseconds on a loaded 2-core CI machine (S3) makes fewer:
    /// the test is about exclusion and lost updates, which 40 contended rounds show as well as 100.
    /// </summary>
    protected virtual int ConcurrentRoundsPerWorker => 5;

    [Fact]
    public async Task Concurrent_acquirers_on_two_replicas_lose_no_update()
    {
        const int Workers = 20;
        var roundsPerWorker = ConcurrentRoundsPerWorker;

        // A worker may wait for every other worker's rounds (acquisition is not fair): longer than Generous.
        var patient = TimeSpan.FromMinutes(2);
        var (a, b) = (Replica(), Replica());
        var id = UploadId.New();
        await CommitAsync(a, id, null);
        var fencesByCounter = new ConcurrentDictionary<long, long>();
        var (holding, overlaps, inversions, last) = (0, 0, 0, long.MinValue);
        var gate = new Lock();

        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(
            async () =>
            {
                for (var round = 0; round < roundsPerWorker; round++)
                {
                    var lease = await (w % 2 == 0 ? a : b).AcquireAsync(id, patient, Ct);
                    if (Interlocked.Increment(ref holding) != 1)
                    {
                        Interlocked.Increment(ref overlaps);
                    }

                    lock (gate)
                    {
                        inversions += lease.FencingToken <= last ? 1 : 0;
                        last = lease.FencingToken;
                    }

                    var counter = lease.Record!.Offset;
                    await Task.Yield();
                    Interlocked.Decrement(ref holding);
                    var stored = round % 2 == 0
                        ? await lease.CommitAndReleaseAsync(lease.Record with { Offset = counter + 1 }, Ct)
                        : await lease.CommitAsync(lease.Record with { Offset = counter + 1 }, Ct);
                    await lease.DisposeAsync();
                    Assert.True(fencesByCounter.TryAdd(stored.Offset, stored.Fence), $"counter {stored.Offset} was committed twice");
                }
            },
            Ct)).ToArray();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(4), Ct);

        Assert.Equal(0, overlaps);
        Assert.Equal(0, inversions);
        Assert.Equal(Workers * roundsPerWorker, (await a.GetAsync(id, Ct))?.Offset);
        Assert.Equal(Workers * roundsPerWorker, fencesByCounter.Values.Distinct().Count());
    }

    [Fact]
    public async Task Records_of_different_uploads_are_independent()
    {
        var coordination = Replica();
        var (first, second) = (UploadId.New(), UploadId.New());

        await using var a = await coordination.AcquireAsync(first, Generous, Ct);
        await using var b = await coordination.AcquireAsync(second, Generous, Ct);
        await a.CommitAsync(NewRecord(first, offset: 1), Ct);
        await b.CommitAsync(NewRecord(second, offset: 2), Ct);

        Assert.Equal(1, (await coordination.GetAsync(first, Ct))?.Offset);
        Assert.Equal(2, (await coordination.GetAsync(second, Ct))?.Offset);
        Assert.False(a.HandOverRequested.IsCancellationRequested);
        Assert.False(b.HandOverRequested.IsCancellationRequested);
    }

    [Fact]
    public async Task A_commit_for_another_upload_is_refused()
    {
        var coordination = Replica();
        var id = UploadId.New();
        await using var lease = await coordination.AcquireAsync(id, Generous, Ct);

        await Assert.ThrowsAsync<ArgumentException>(async () => await lease.CommitAsync(NewRecord(UploadId.New()), Ct));
        Assert.Null(await coordination.GetAsync(id, Ct));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../../../../etc/passwd")]
    [InlineData("{0123456789abcdef0123456789abcde}")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("0123456789abcdef0123456789abcde*")]
    public async Task Ids_that_are_not_upload_ids_are_refused_before_they_reach_the_backend(string id)
    {
        var coordination = Replica();

        await Assert.ThrowsAsync<ArgumentException>(async () => await coordination.GetAsync(id, Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await coordination.AcquireAsync(id, Generous, Ct));
    }

    [Fact]
    public async Task Is_healthy_while_the_backend_answers()
    {
        Assert.True(await Replica().IsHealthyAsync(Ct));
    }
}
