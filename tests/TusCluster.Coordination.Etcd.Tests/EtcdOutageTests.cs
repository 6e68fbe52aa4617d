using System.Diagnostics;
using Etcdserverpb;
using Google.Protobuf;
using TusCluster.Coordination.Etcd.Keys;
using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd.Tests;

/// <summary>
/// Runs its own etcd, because it freezes it (SIGSTOP) while a transaction is on its way: the client
/// gives up after its request timeout, and etcd applies the transaction once it runs again, so the
/// outcome the client saw is unknown. Nothing may be resent, applied twice or lost.
/// </summary>
public sealed class EtcdOutageTests
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(1);

    // Long enough that no renewal of the replica's lease falls into the frozen second.
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_commit_with_an_unknown_outcome_is_unavailable_applied_at_most_once_and_read_again_before_the_next()
    {
        await using var server = await StartWarmAsync();
        var prefix = Coordinations.NewPrefix();
        await using var replica = Coordinations.Create(prefix, [server.Endpoint], leaseTtl: LeaseTtl, requestTimeout: RequestTimeout);
        var id = UploadId.New();
        var holder = await replica.AcquireAsync(id, Coordinations.Generous, Ct);
        var acknowledged = await holder.CommitAsync(Coordinations.NewRecord(id, offset: 1), Ct);

        await server.PauseAsync();
        try
        {
            await AssertUnavailableAsync(async () => await holder.CommitAsync(acknowledged with { Offset = 2 }, Ct));
        }
        finally
        {
            await server.ResumeAsync();
        }

        // The record key was written once by the first commit and at most once more by the unknown one.
        var stored = await ReadRecordKeyAsync(replica, prefix, id);
        Assert.InRange(stored.Version, 1, 2);
        Assert.Equal(stored.Version == 1 ? 1 : 2, (await replica.GetAsync(id, Ct))?.Offset);

        var next = await holder.CommitAsync(acknowledged with { Offset = 3 }, Ct);
        Coordinations.AssertSameRecord(next, await replica.GetAsync(id, Ct));
        Assert.Equal(stored.Version + 1, (await ReadRecordKeyAsync(replica, prefix, id)).Version);
        await holder.DisposeAsync();
    }

    [Fact]
    public async Task A_commit_with_events_and_an_unknown_outcome_stores_the_record_and_its_events_or_neither()
    {
        await using var server = await StartWarmAsync();
        var prefix = Coordinations.NewPrefix();
        await using var replica = Coordinations.Create(prefix, [server.Endpoint], leaseTtl: LeaseTtl, requestTimeout: RequestTimeout);
        var id = UploadId.New();
        var holder = await replica.AcquireAsync(id, Coordinations.Generous, Ct);
        var acknowledged = await holder.CommitAsync(Coordinations.NewRecord(id, offset: 1), Ct);
        OutboxEntry[] events = [EtcdOutboxTests.Entry(id, DateTimeOffset.UnixEpoch), EtcdOutboxTests.Entry(id, DateTimeOffset.UnixEpoch.AddSeconds(1))];

        await server.PauseAsync();
        try
        {
            await AssertUnavailableAsync(async () => await holder.CommitAsync(acknowledged with { Offset = 2 }, events, Ct));
        }
        finally
        {
            await server.ResumeAsync();
        }

        // Read in one transaction, so the unknown commit cannot land between the two reads.
        var (offset, stored) = await ReadRecordAndOutboxAsync(replica, prefix, id);
        Assert.Contains(offset, new long?[] { 1, 2 });
        Assert.Equal(offset == 2 ? events : [], stored);

        // The engine commits the same events again: put again under their own keys, not doubled.
        await holder.CommitAndReleaseAsync(acknowledged with { Offset = 3 }, events, Ct);
        (offset, stored) = await ReadRecordAndOutboxAsync(replica, prefix, id);
        Assert.Equal(3, offset);
        Assert.Equal(events, stored);
    }

    [Fact]
    public async Task A_lock_attempt_with_an_unknown_outcome_is_unavailable_and_does_not_leave_the_upload_locked()
    {
        await using var server = await StartWarmAsync();
        var prefix = Coordinations.NewPrefix();
        await using var replica = await WarmReplicaAsync(prefix, server);
        await using var other = Coordinations.Create(prefix, [server.Endpoint], leaseTtl: LeaseTtl, requestTimeout: RequestTimeout);
        var id = UploadId.New();

        await server.PauseAsync();
        try
        {
            await AssertUnavailableAsync(async () => await replica.AcquireAsync(id, Coordinations.Generous, Ct));
        }
        finally
        {
            await server.ResumeAsync();
        }

        // Applied once etcd ran again, the attempt's lock is removed by the replica (not by the lease's
        // expiry, 30 s away): another replica gets the upload within a few retries.
        var started = Stopwatch.StartNew();
        await using var lease = await other.AcquireAsync(id, TimeSpan.FromSeconds(20), Ct);
        // Far below the 30 s lease: removed by the replica, not by expiry (loose, for a loaded machine).
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(15), $"took {started.Elapsed}");
        Assert.False(lease.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task A_lock_attempt_past_its_deadline_is_read_back_and_either_held_or_removed()
    {
        await using var server = await StartWarmAsync();
        var prefix = Coordinations.NewPrefix();
        await using var replica = await WarmReplicaAsync(prefix, server);
        await using var other = Coordinations.Create(prefix, [server.Endpoint], leaseTtl: LeaseTtl, requestTimeout: RequestTimeout);
        var id = UploadId.New();

        await server.PauseAsync();
        var acquiring = replica.AcquireAsync(id, Coordinations.Generous, Ct).AsTask();
        try
        {
            // The transaction's deadline passes after 1 s; etcd runs again while the read-back waits, and
            // may or may not apply the transaction the client gave up on (it races the cancellation).
            await Task.Delay(RequestTimeout * 1.4, Ct);
        }
        finally
        {
            await server.ResumeAsync();
        }

        IUploadLease? held = null;
        try
        {
            held = await acquiring.WaitAsync(Coordinations.Generous, Ct);
        }
        catch (CoordinationUnavailableException)
        {
            // Not found by the read-back: removed should it still get in, so another replica gets it.
            await using var next = await other.AcquireAsync(id, TimeSpan.FromSeconds(5), Ct);
            await next.CommitAsync(Coordinations.NewRecord(id, offset: 4), Ct);
        }

        if (held is not null)
        {
            // Found by the read-back: this replica holds the lock the transaction wrote.
            var lockKey = await replica.Client.RangeAsync(new Etcdserverpb.RangeRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8($"{prefix}locks/{id}") }, Ct);
            Assert.Equal(Assert.Single(lockKey.Kvs).CreateRevision, held.FencingToken);
            await held.CommitAndReleaseAsync(Coordinations.NewRecord(id, offset: 4), Ct);
        }

        Assert.Equal(4, (await other.GetAsync(id, Ct))?.Offset);
    }

    [Fact]
    public async Task A_holder_outlives_a_freeze_of_etcd_shorter_than_its_lease()
    {
        // The keep-alive renews when the lease is granted (just before the lock is taken) and every 3 s
        // after, each renewal answered within 1 s. Frozen from 2.5 s to 4.5 s, etcd leaves the renewal of
        // 3 s unanswered, so the keep-alive ends; the lookup of the lease that follows (4 s) is answered
        // once etcd runs again, finds the lease alive, and a new keep-alive stream takes over.
        var ttl = TimeSpan.FromSeconds(9);
        await using var server = await StartWarmAsync();
        await using var replica = Coordinations.Create(Coordinations.NewPrefix(), [server.Endpoint], leaseTtl: ttl, requestTimeout: RequestTimeout);
        var id = UploadId.New();
        await using var holder = await replica.AcquireAsync(id, Coordinations.Generous, Ct);

        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct);
        await server.PauseAsync();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        }
        finally
        {
            await server.ResumeAsync();
        }

        await Task.Delay(ttl, Ct);
        Assert.False(holder.Lost.IsCancellationRequested);
        await holder.CommitAsync(Coordinations.NewRecord(id, offset: 1), Ct);
    }

    /// <summary>A fresh etcd can take more than a second over its first writes: done here with a patient client.</summary>
    private static async Task<EtcdServer> StartWarmAsync()
    {
        var server = await EtcdServer.StartAsync();
        await using var patient = Coordinations.Create(Coordinations.NewPrefix(), [server.Endpoint], requestTimeout: TimeSpan.FromSeconds(10));
        var id = UploadId.New();
        await using var lease = await patient.AcquireAsync(id, Coordinations.Generous, Ct);
        await lease.CommitAsync(Coordinations.NewRecord(id), Ct);
        return server;
    }

    private static async Task<Mvccpb.KeyValue> ReadRecordKeyAsync(EtcdUploadCoordination replica, string prefix, string id)
    {
        var response = await replica.Client.RangeAsync(new Etcdserverpb.RangeRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8($"{prefix}records/{id}") }, Ct);
        return Assert.Single(response.Kvs);
    }

    private static async Task<(long? Offset, OutboxEntry[] Events)> ReadRecordAndOutboxAsync(EtcdUploadCoordination replica, string prefix, string id)
    {
        var outbox = ByteString.CopyFromUtf8($"{prefix}outbox/");
        var both = await replica.Client.TxnAsync(
            new TxnRequest
            {
                Success =
                {
                    new RequestOp { RequestRange = new RangeRequest { Key = ByteString.CopyFromUtf8($"{prefix}records/{id}") } },
                    new RequestOp { RequestRange = new RangeRequest { Key = outbox, RangeEnd = EtcdKeys.RangeEndOf(outbox) } },
                },
            },
            Ct);
        var record = RecordCodec.Decode(both.Responses[0].ResponseRange.Kvs, id);
        return (record?.Offset, [.. both.Responses[1].ResponseRange.Kvs.Select(kv => OutboxEntryJson.Deserialize(kv.Value.Span, "test"))]);
    }

    private static async Task AssertUnavailableAsync(Func<Task> action)
    {
        var started = Stopwatch.StartNew();
        await Assert.ThrowsAsync<CoordinationUnavailableException>(action);
        Assert.True(started.Elapsed < RequestTimeout * 2 + TimeSpan.FromSeconds(1), $"took {started.Elapsed}");
    }

    /// <summary>A replica that has made its first (slow) gRPC calls already, so a pause hits a warm channel.</summary>
    private static async Task<EtcdUploadCoordination> WarmReplicaAsync(string prefix, EtcdServer server)
    {
        var replica = Coordinations.Create(prefix, [server.Endpoint], leaseTtl: LeaseTtl, requestTimeout: RequestTimeout);
        await using (var warmUp = await replica.AcquireAsync(UploadId.New(), Coordinations.Generous, Ct))
        {
        }

        return replica;
    }
}
