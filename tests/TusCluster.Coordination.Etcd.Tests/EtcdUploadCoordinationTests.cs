using System.Collections.Immutable;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd.Tests;

public sealed class EtcdUploadCoordinationTests(SharedEtcd etcd) : IAsyncDisposable
{
    private readonly string _prefix = Coordinations.NewPrefix();
    private readonly List<EtcdUploadCoordination> _replicas = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
    }

    private EtcdUploadCoordination Replica()
    {
        var replica = Coordinations.Create(_prefix, [etcd.Endpoint]);
        _replicas.Add(replica);
        return replica;
    }

    [Fact]
    public async Task Acquiring_a_free_upload_returns_a_lease_without_a_record()
    {
        var coordination = Replica();
        var id = UploadId.New();

        await using var lease = await coordination.AcquireAsync(id, Coordinations.Generous, Ct);

        Assert.Equal(id, lease.UploadId);
        Assert.Null(lease.Record);
        Assert.True(lease.FencingToken > 0);
        Assert.False(lease.HandOverRequested.IsCancellationRequested);
        Assert.False(lease.Lost.IsCancellationRequested);
        Assert.Null(await coordination.GetAsync(id, Ct));
    }

    [Fact]
    public async Task Commit_creates_the_record_with_the_lease_token_as_its_fence()
    {
        var coordination = Replica();
        var id = UploadId.New();
        await using var lease = await coordination.AcquireAsync(id, Coordinations.Generous, Ct);

        var stored = await lease.CommitAsync(Coordinations.NewRecord(id, offset: 12) with { Fence = 1 }, Ct);

        Assert.Equal(lease.FencingToken, stored.Fence);
        Assert.Equal(12, stored.Offset);
        Assert.Same(stored, lease.Record);
        Coordinations.AssertSameRecord(stored, await coordination.GetAsync(id, Ct));
    }

    [Fact]
    public async Task Another_replica_reads_the_record_and_gets_it_with_its_lease()
    {
        var id = UploadId.New();
        UploadRecord stored;
        await using (var lease = await Replica().AcquireAsync(id, Coordinations.Generous, Ct))
        {
            stored = await lease.CommitAsync(
                Coordinations.NewRecord(id, offset: 1000, expiresAt: DateTimeOffset.UtcNow.AddDays(1)) with
                {
                    Kind = UploadKind.Final,
                    PartialIds = ImmutableArray.Create(UploadId.New()),
                    Status = UploadStatus.Finished,
                    Length = null,
                },
                Ct);
        }

        var other = Replica();

        Coordinations.AssertSameRecord(stored, await other.GetAsync(id, Ct));
        await using var again = await other.AcquireAsync(id, Coordinations.Generous, Ct);
        Coordinations.AssertSameRecord(stored, again.Record);
        Assert.True(again.FencingToken > stored.Fence);
    }

    [Fact]
    public async Task Remove_deletes_the_record()
    {
        var coordination = Replica();
        var id = UploadId.New();
        await using (var lease = await coordination.AcquireAsync(id, Coordinations.Generous, Ct))
        {
            await lease.CommitAsync(Coordinations.NewRecord(id), Ct);
        }

        await using (var lease = await coordination.AcquireAsync(id, Coordinations.Generous, Ct))
        {
            await lease.RemoveAsync(Ct);
            Assert.Null(lease.Record);
        }

        Assert.Null(await coordination.GetAsync(id, Ct));
    }

    [Fact]
    public async Task Removing_an_upload_that_has_no_record_is_harmless()
    {
        var coordination = Replica();
        var id = UploadId.New();
        await using var lease = await coordination.AcquireAsync(id, Coordinations.Generous, Ct);

        await lease.RemoveAsync(Ct);

        Assert.Null(await coordination.GetAsync(id, Ct));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../../etc")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef/123456789abcdef")]
    public async Task Ids_that_are_not_upload_ids_are_refused(string id)
    {
        var coordination = Replica();

        await Assert.ThrowsAsync<ArgumentException>(async () => await coordination.GetAsync(id, Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await coordination.AcquireAsync(id, Coordinations.Generous, Ct));
    }

    [Fact]
    public async Task Fencing_tokens_strictly_increase_across_holders_on_two_replicas()
    {
        var replicas = new[] { Replica(), Replica() };
        var id = UploadId.New();
        var previous = long.MinValue;

        for (var i = 0; i < 20; i++)
        {
            await using var lease = await replicas[i % 2].AcquireAsync(id, Coordinations.Generous, Ct);
            Assert.True(lease.FencingToken > previous, $"holder {i} got {lease.FencingToken} after {previous}");
            Assert.Equal(i == 0 ? null : i - 1, lease.Record?.Offset);
            var stored = await lease.CommitAsync(Coordinations.NewRecord(id, offset: i), Ct);
            Assert.Equal(lease.FencingToken, stored.Fence);
            previous = lease.FencingToken;
        }
    }

    [Fact]
    public async Task Concurrent_acquirers_on_two_replicas_lose_no_update()
    {
        const int Workers = 20;
        const int RoundsPerWorker = 3;
        var replicas = new[] { Replica(), Replica() };
        var id = UploadId.New();
        await using (var creator = await replicas[0].AcquireAsync(id, Coordinations.Generous, Ct))
        {
            await creator.CommitAsync(Coordinations.NewRecord(id, offset: 0), Ct);
        }

        var successes = 0;
        var lost = 0;
        var timedOut = 0;
        var holding = 0;
        var overlaps = 0;
        var fencesByCounter = new System.Collections.Concurrent.ConcurrentDictionary<long, long>();
        var workers = Enumerable.Range(0, Workers).Select(worker => Task.Run(
            async () =>
            {
                for (var round = 0; round < RoundsPerWorker; round++)
                {
                    try
                    {
                        await using var lease = await replicas[worker % 2].AcquireAsync(id, Coordinations.Generous, Ct);
                        if (Interlocked.Increment(ref holding) != 1)
                        {
                            Interlocked.Increment(ref overlaps);
                        }

                        var counter = lease.Record!.Offset;
                        await Task.Yield();
                        var stored = await lease.CommitAsync(lease.Record with { Offset = counter + 1 }, Ct);
                        Assert.True(fencesByCounter.TryAdd(stored.Offset, stored.Fence), $"counter {stored.Offset} was committed twice");
                        Interlocked.Decrement(ref holding);
                        Interlocked.Increment(ref successes);
                    }
                    catch (LeaseLostException)
                    {
                        Interlocked.Increment(ref lost);
                    }
                    catch (LockTimeoutException)
                    {
                        Interlocked.Increment(ref timedOut);
                    }
                }
            },
            Ct)).ToArray();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(1), Ct);

        Assert.Equal(Workers * RoundsPerWorker, successes + lost + timedOut);
        Assert.Equal(Workers * RoundsPerWorker, successes);
        Assert.Equal(0, overlaps);
        Assert.Equal(successes, (await replicas[1].GetAsync(id, Ct))?.Offset);
        var fences = fencesByCounter.OrderBy(e => e.Key).Select(e => e.Value).ToArray();
        Assert.Equal(fences.Order(), fences);
        Assert.Equal(fences.Length, fences.Distinct().Count());
    }

    [Fact]
    public async Task A_holder_on_another_replica_is_asked_to_hand_over_and_the_newcomer_gets_the_lease()
    {
        var (first, second) = (Replica(), Replica());
        var id = UploadId.New();
        var holder = await first.AcquireAsync(id, Coordinations.Generous, Ct);
        var committed = await holder.CommitAsync(Coordinations.NewRecord(id, offset: 3), Ct);

        var newcomer = second.AcquireAsync(id, TimeSpan.FromSeconds(10), Ct).AsTask();

        await Coordinations.SignalledAsync(holder.HandOverRequested, TimeSpan.FromSeconds(5), "the hand-over request");
        Assert.False(newcomer.IsCompleted);
        var final = await holder.CommitAsync(committed with { Offset = 7 }, Ct);
        await holder.DisposeAsync();
        await using var next = await newcomer.WaitAsync(Coordinations.Generous, Ct);

        Assert.True(next.FencingToken > holder.FencingToken);
        Coordinations.AssertSameRecord(final, next.Record);
        Assert.False(next.HandOverRequested.IsCancellationRequested);
    }

    [Fact]
    public async Task A_holder_on_the_same_replica_is_asked_to_hand_over()
    {
        var coordination = Replica();
        var id = UploadId.New();
        var holder = await coordination.AcquireAsync(id, Coordinations.Generous, Ct);

        var newcomer = coordination.AcquireAsync(id, TimeSpan.FromSeconds(10), Ct).AsTask();

        await Coordinations.SignalledAsync(holder.HandOverRequested, TimeSpan.FromSeconds(5), "the hand-over request");
        await holder.DisposeAsync();
        await using var next = await newcomer.WaitAsync(Coordinations.Generous, Ct);
        Assert.True(next.FencingToken > holder.FencingToken);
    }

    [Fact]
    public async Task Acquiring_times_out_when_the_holder_ignores_the_hand_over()
    {
        var (first, second) = (Replica(), Replica());
        var id = UploadId.New();
        await using var holder = await first.AcquireAsync(id, Coordinations.Generous, Ct);
        var started = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAsync<LockTimeoutException>(async () => await second.AcquireAsync(id, TimeSpan.FromMilliseconds(700), Ct));

        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(650), TimeSpan.FromSeconds(5));
        await Coordinations.SignalledAsync(holder.HandOverRequested, TimeSpan.FromSeconds(5), "the hand-over request");
        var stored = await holder.CommitAsync(Coordinations.NewRecord(id, offset: 1), Ct);
        Coordinations.AssertSameRecord(stored, await second.GetAsync(id, Ct));
    }

    [Fact]
    public async Task Acquiring_with_a_zero_timeout_fails_at_once_on_a_held_upload()
    {
        var (first, second) = (Replica(), Replica());
        var id = UploadId.New();
        await using var holder = await first.AcquireAsync(id, Coordinations.Generous, Ct);

        await Assert.ThrowsAsync<LockTimeoutException>(async () => await second.AcquireAsync(id, TimeSpan.Zero, Ct));
    }

    [Fact]
    public async Task A_cancelled_acquire_stops_waiting_and_leaves_the_holder_in_place()
    {
        var (first, second) = (Replica(), Replica());
        var id = UploadId.New();
        await using var holder = await first.AcquireAsync(id, Coordinations.Generous, Ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var waiting = second.AcquireAsync(id, Coordinations.Generous, cancel.Token).AsTask();
        await Task.Delay(200, Ct);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Coordinations.Generous, Ct));
        await holder.CommitAsync(Coordinations.NewRecord(id), Ct);
    }

    [Fact]
    public async Task A_released_holder_can_no_longer_commit_or_remove()
    {
        var (first, second) = (Replica(), Replica());
        var id = UploadId.New();
        var holder = await first.AcquireAsync(id, Coordinations.Generous, Ct);
        var committed = await holder.CommitAsync(Coordinations.NewRecord(id, offset: 3), Ct);
        await holder.DisposeAsync();
        await using var next = await second.AcquireAsync(id, Coordinations.Generous, Ct);

        await Assert.ThrowsAsync<LeaseLostException>(async () => await holder.CommitAsync(committed with { Offset = 999 }, Ct));
        await Assert.ThrowsAsync<LeaseLostException>(async () => await holder.RemoveAsync(Ct));

        Coordinations.AssertSameRecord(committed, await first.GetAsync(id, Ct));
    }

    [Fact]
    public async Task Disposing_a_lease_twice_does_not_release_the_next_holder()
    {
        var coordination = Replica();
        var id = UploadId.New();
        var first = await coordination.AcquireAsync(id, Coordinations.Generous, Ct);
        await first.DisposeAsync();
        await using var second = await coordination.AcquireAsync(id, Coordinations.Generous, Ct);

        await first.DisposeAsync();

        await second.CommitAsync(Coordinations.NewRecord(id), Ct);
        await Assert.ThrowsAsync<LockTimeoutException>(async () => await Replica().AcquireAsync(id, TimeSpan.FromMilliseconds(200), Ct));
    }

    [Fact]
    public async Task A_stale_lease_object_cannot_commit_after_another_replica_took_over_through_expiry()
    {
        // The holder's lock key is deleted behind its back (as when its etcd lease expired) and
        // another replica acquires: the stale holder's guarded commit must fail.
        var (first, second) = (Replica(), Replica());
        var id = UploadId.New();
        var stale = await first.AcquireAsync(id, Coordinations.Generous, Ct);
        await stale.CommitAsync(Coordinations.NewRecord(id, offset: 1), Ct);
        await first.RevokeSessionLeaseAsync(Ct);
        await using var newer = await second.AcquireAsync(id, TimeSpan.FromSeconds(5), Ct);
        var kept = await newer.CommitAsync(Coordinations.NewRecord(id, offset: 2), Ct);

        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.CommitAsync(Coordinations.NewRecord(id, offset: 99), Ct));
        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.RemoveAsync(Ct));

        Coordinations.AssertSameRecord(kept, await first.GetAsync(id, Ct));
        await stale.DisposeAsync();
    }

    [Fact]
    public async Task Is_healthy_while_etcd_answers()
    {
        Assert.True(await Replica().IsHealthyAsync(Ct));
    }

    [Fact]
    public async Task Operations_fail_over_from_a_dead_endpoint_to_a_live_one()
    {
        var dead = $"http://127.0.0.1:{EtcdServer.FreePort()}";
        await using var coordination = Coordinations.Create(_prefix, [dead, etcd.Endpoint], requestTimeout: TimeSpan.FromSeconds(3));
        var id = UploadId.New();

        await using (var lease = await coordination.AcquireAsync(id, Coordinations.Generous, Ct))
        {
            await lease.CommitAsync(Coordinations.NewRecord(id, offset: 5, expiresAt: DateTimeOffset.UnixEpoch.AddDays(1)), Ct);
        }

        Assert.Equal(5, (await coordination.GetAsync(id, Ct))?.Offset);
        Assert.Equal([id], (await coordination.ReadExpiredAsync(DateTimeOffset.UnixEpoch.AddDays(2), 10, Ct)).Select(e => e.UploadId));
        Assert.True(await coordination.IsHealthyAsync(Ct));
        Assert.Equal(new Uri(etcd.Endpoint), coordination.Client.PreferredEndpoint);
    }

    [Fact]
    public async Task Reads_fail_over_from_an_endpoint_that_accepts_but_never_answers()
    {
        using var hung = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        hung.Start();
        var hungEndpoint = $"http://127.0.0.1:{((System.Net.IPEndPoint)hung.LocalEndpoint).Port}";
        await using var coordination = Coordinations.Create(_prefix, [hungEndpoint, etcd.Endpoint], requestTimeout: TimeSpan.FromSeconds(2));
        var id = UploadId.New();
        var started = System.Diagnostics.Stopwatch.StartNew();

        Assert.Null(await coordination.GetAsync(id, Ct));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), $"took {started.Elapsed}");
        Assert.Equal(new Uri(etcd.Endpoint), coordination.Client.PreferredEndpoint);
        await using var lease = await coordination.AcquireAsync(id, Coordinations.Generous, Ct);
        await lease.CommitAsync(Coordinations.NewRecord(id, offset: 9), Ct);
        Assert.Equal(9, (await coordination.GetAsync(id, Ct))?.Offset);
    }

    [Fact]
    public async Task No_reachable_endpoint_is_coordination_unavailable()
    {
        var dead = $"http://127.0.0.1:{EtcdServer.FreePort()}";
        await using var coordination = Coordinations.Create(_prefix, [dead], requestTimeout: TimeSpan.FromSeconds(2));
        var started = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.GetAsync(UploadId.New(), Ct));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.AcquireAsync(UploadId.New(), Coordinations.Generous, Ct));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, 10, Ct));
        Assert.False(await coordination.IsHealthyAsync(Ct));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(8), $"took {started.Elapsed}");
    }
}
