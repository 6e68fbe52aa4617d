using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Embedded;

/// <summary>
/// Coordination for one process: leases live in memory, records on local disk. Fencing tokens come
/// from one counter seeded with the clock, so they keep increasing across restarts too.
/// </summary>
internal sealed class EmbeddedUploadCoordination : IUploadCoordination, IEventOutbox, IUploadLockSteps<EmbeddedUploadLease>
{
    private readonly ConcurrentDictionary<string, EmbeddedUploadLease> _holders = new(StringComparer.Ordinal);
    private readonly ExpiryIndex _expiry = new();
    private readonly Task _expiryLoaded;
    private readonly EmbeddedEventOutbox _outbox;
    private long _lastFence = DateTime.UtcNow.Ticks;

    /// <summary>A holder in this process is told at once and its request sticks: no need to repeat it.</summary>
    TimeSpan IUploadLockSteps<EmbeddedUploadLease>.HandOverRepeat => TimeSpan.Zero;

    /// <summary>Releases here are never missed, so a waiter sleeps until the release or its deadline.</summary>
    TimeSpan IUploadLockSteps<EmbeddedUploadLease>.PollInterval => TimeSpan.MaxValue;

    public EmbeddedUploadCoordination(IOptions<EmbeddedCoordinationOptions> options, ILogger<EmbeddedUploadCoordination>? logger = null)
    {
        UnreadableOutboxEntries.Track("embedded");
        Records = new UploadRecordFiles(Path.GetFullPath(options.Value.Directory), options.Value.Fsync);
        _outbox = new EmbeddedEventOutbox(
            Records.Directory, options.Value.Fsync, id => Records.Read(id)?.Fence, logger ?? NullLogger<EmbeddedUploadCoordination>.Instance);
        _expiryLoaded = Task.Run(LoadExpiryIndex);
    }

    internal UploadRecordFiles Records { get; }

    public ValueTask<UploadRecord?> GetAsync(string uploadId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Records.Read(uploadId));

    public ValueTask<IUploadLease> AcquireAsync(string uploadId, TimeSpan timeout, CancellationToken cancellationToken) =>
        UploadLockLoop.AcquireAsync(this, uploadId, timeout, cancellationToken);

    ValueTask<LockAttempt<EmbeddedUploadLease>> IUploadLockSteps<EmbeddedUploadLease>.TryAcquireAsync(string uploadId, CancellationToken cancellationToken)
    {
        var lease = new EmbeddedUploadLease(this, uploadId);
        if (_holders.TryAdd(uploadId, lease))
        {
            try
            {
                // The token is drawn only once the lease is won, so no later holder can draw a smaller
                // one; and it is above the stored fence, whatever the clock did across a restart.
                lease.Record = Records.Read(uploadId);
                lease.FencingToken = NextFence(lease.Record?.Fence ?? 0);
                return ValueTask.FromResult(LockAttempt<EmbeddedUploadLease>.Acquired(lease));
            }
            catch
            {
                _ = lease.DisposeAsync();
                throw;
            }
        }

        return ValueTask.FromResult(_holders.TryGetValue(uploadId, out var holder)
            ? LockAttempt<EmbeddedUploadLease>.HeldBy(holder)
            : LockAttempt<EmbeddedUploadLease>.FoundFree());
    }

    ValueTask<bool> IUploadLockSteps<EmbeddedUploadLease>.RequestHandOverAsync(string uploadId, EmbeddedUploadLease holder, CancellationToken cancellationToken)
    {
        holder.RequestHandOver();
        return ValueTask.FromResult(true);
    }

    IReleaseWait<EmbeddedUploadLease> IUploadLockSteps<EmbeddedUploadLease>.ListenForRelease(string uploadId) => EmbeddedReleaseWait.Instance;

    public async ValueTask<IReadOnlyList<ExpiryEntry>> ReadExpiredAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken)
    {
        await _expiryLoaded.WaitAsync(cancellationToken);
        return _expiry.ReadUpTo(upTo, limit);
    }

    public ValueTask<IReadOnlyList<OutboxEntry>> ReadDueEventsAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_outbox.ReadDue(upTo, limit));

    public ValueTask PostponeEventAsync(OutboxEntry entry, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        _outbox.Postpone(entry, dueAt);
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteEventAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        _outbox.Delete(entry);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(Records.Directory);
            return ValueTask.FromResult(true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ValueTask.FromResult(false);
        }
    }

    internal void Commit(EmbeddedUploadLease lease, UploadRecord record, IReadOnlyList<OutboxEntry> events)
    {
        if (record.Id != lease.UploadId)
        {
            throw new ArgumentException($"A lease of upload {lease.UploadId} cannot commit upload {record.Id}.", nameof(record));
        }

        RequireCurrent(lease);
        var staged = events.Count == 0 ? [] : _outbox.Stage(events, lease.FencingToken);
        try
        {
            Records.Write(record, lease.FencingToken);
        }
        catch
        {
            EmbeddedEventOutbox.Abandon(staged);
            throw;
        }

        _outbox.Publish(events, staged);
        _expiry.Set(record.Id, record.ExpiresAt);
    }

    internal void Remove(EmbeddedUploadLease lease)
    {
        RequireCurrent(lease);
        Records.Delete(lease.UploadId);
        _expiry.Set(lease.UploadId, null);
    }

    internal void Release(EmbeddedUploadLease lease) =>
        _holders.TryRemove(new KeyValuePair<string, EmbeddedUploadLease>(lease.UploadId, lease));

    private void RequireCurrent(EmbeddedUploadLease lease)
    {
        if (!_holders.TryGetValue(lease.UploadId, out var holder) || !ReferenceEquals(holder, lease))
        {
            throw new LeaseLostException($"The lease {lease.FencingToken} of upload {lease.UploadId} is no longer held.");
        }
    }

    private long NextFence(long storedFence)
    {
        while (true)
        {
            var last = Volatile.Read(ref _lastFence);
            var next = Math.Max(last, storedFence) + 1;
            if (Interlocked.CompareExchange(ref _lastFence, next, last) == last)
            {
                return next;
            }
        }
    }

    private void LoadExpiryIndex()
    {
        foreach (var record in Records.ReadAll())
        {
            if (record.ExpiresAt is { } expiresAt)
            {
                _expiry.AddIfAbsent(record.Id, expiresAt);
            }
        }
    }
}
