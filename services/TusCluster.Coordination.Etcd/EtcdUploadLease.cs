using Etcdserverpb;
using TusCluster.Coordination.Outbox;
using TusCluster.Coordination.Etcd.Sessions;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd;

/// <summary>
/// An upload's lock key in etcd, attached to the replica's etcd lease. Its fencing token is the
/// revision at which the lock key was created; every write is a transaction guarded by that
/// create revision, so it succeeds only while this very lock key still exists.
/// </summary>
internal sealed class EtcdUploadLease : IUploadLease
{
    private readonly EtcdUploadCoordination _owner;
    private readonly ReplicaSession _session;
    // Never disposed: holders may still read HandOverRequested after the release, and a source without
    // a timer holds nothing that needs disposing.
    private readonly CancellationTokenSource _handOver = new();
    private int _released;

    public EtcdUploadLease(EtcdUploadCoordination owner, string uploadId, long fencingToken, UploadRecord? record, ReplicaSession session)
    {
        _owner = owner;
        _session = session;
        UploadId = uploadId;
        FencingToken = fencingToken;
        Record = record;
    }

    public string UploadId { get; }

    public long FencingToken { get; }

    public UploadRecord? Record { get; internal set; }

    /// <summary>False after a write whose outcome is unknown: the stored record must be read again before the next write.</summary>
    internal bool RecordKnown { get; set; } = true;

    public CancellationToken HandOverRequested => _handOver.Token;

    public CancellationToken Lost => _session.Lost;

    internal bool IsReleased => Volatile.Read(ref _released) != 0;

    public async ValueTask<UploadRecord> CommitAsync(UploadRecord record, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken)
    {
        var eventPuts = CheckCommit(record, events);

        ThrowIfReleased();
        var stored = record with { Fence = FencingToken };
        await _owner.CommitAsync(this, stored, eventPuts, release: false, cancellationToken);
        Record = stored;
        return stored;
    }

    public async ValueTask<UploadRecord> CommitAndReleaseAsync(UploadRecord record, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken)
    {
        var eventPuts = CheckCommit(record, events);

        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            throw new LeaseLostException($"The lease {FencingToken} of upload {UploadId} was released.");
        }

        var stored = record with { Fence = FencingToken };
        try
        {
            await _owner.CommitAsync(this, stored, eventPuts, release: true, cancellationToken);
            _owner.Forget(this);
        }
        catch
        {
            // Not committed, or with an unknown outcome: the guarded release is harmless either way.
            await _owner.ReleaseAsync(this);
            throw;
        }

        Record = stored;
        return stored;
    }

    public async ValueTask RemoveAsync(CancellationToken cancellationToken)
    {
        ThrowIfReleased();
        await _owner.RemoveAsync(this, cancellationToken);
        Record = null;
    }

    internal void RequestHandOver()
    {
        if (IsReleased)
        {
            return;
        }

        try
        {
            _handOver.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Released meanwhile: nothing to hand over.
        }
        catch (AggregateException)
        {
            // A callback of the holder threw; the request to hand over stands.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            await _owner.ReleaseAsync(this);
        }
    }

    /// <summary>Refuses bad input before anything is sent; returns the puts of the events.</summary>
    private IReadOnlyList<RequestOp> CheckCommit(UploadRecord record, IReadOnlyList<OutboxEntry> events)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Id != UploadId)
        {
            throw new ArgumentException($"A lease of upload {UploadId} cannot commit upload {record.Id}.", nameof(record));
        }

        OutboxEntries.Validate(UploadId, events);
        return _owner.EventPuts(events);
    }

    private void ThrowIfReleased()
    {
        if (IsReleased)
        {
            throw new LeaseLostException($"The lease {FencingToken} of upload {UploadId} was released.");
        }
    }
}
