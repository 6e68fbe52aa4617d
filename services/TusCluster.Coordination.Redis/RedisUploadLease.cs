using StackExchange.Redis;
using TusCluster.Coordination.Redis.Connection;
using TusCluster.Coordination.Redis.Outbox;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Redis;

/// <summary>
/// A lease on one upload, kept alive by renewing the lock key every third of the TTL with a
/// compare-and-extend script. Lost fires when the lock no longer holds this lease's token, or when no
/// renewal succeeded for a whole TTL (measured from before the renewal was sent, so locally the lease
/// is given up no later than Redis expires it).
/// </summary>
internal sealed class RedisUploadLease : FencedUploadLease
{
    private readonly RedisUploadCoordination _owner;
    private readonly string _token;

    public RedisUploadLease(RedisUploadCoordination owner, string uploadId, long fencingToken, UploadRecord? record, long acquireStartedAt)
        : base(uploadId, fencingToken, record, owner.Options.LeaseTtl, acquireStartedAt)
    {
        _owner = owner;
        _token = fencingToken.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    protected override async Task CommitCoreAsync(UploadRecord stored, IReadOnlyList<OutboxEntry> events, bool release, CancellationToken cancellationToken)
    {
        var json = UploadRecordJson.Serialize(stored);
        var keys = _owner.Keys;
        RedisValue expiry = stored.ExpiresAt is { } expiresAt ? ExpiryScore(expiresAt) : string.Empty;
        RedisKey[] scriptKeys = [keys.Lock(UploadId), keys.Record(UploadId), keys.Expiry];
        RedisValue[] values = [_token, json, expiry, UploadId, release ? keys.ReleasedChannel(UploadId) : string.Empty];
        if (events.Count > 0)
        {
            (scriptKeys, values) = RedisEventOutbox.AddToCommit(keys, events, scriptKeys, values);
        }

        RedisResult reply;
        try
        {
            // Never cancelled once sent: the outcome of an abandoned commit would be unknown.
            reply = await _owner.RunReplicatedAsync(
                db => db.ScriptEvaluateAsync(RedisScripts.Commit, scriptKeys, values, CommandFlags.CommandRetryNever),
                "the commit script");
        }
        catch (CoordinationUnavailableException e) when (!RedisFailures.OutcomeKnown(e))
        {
            // The script may or may not have run. Find out by reading, never by running it again.
            await VerifyCommittedAsync(json, events, e);
            if (release)
            {
                await _owner.ReleaseAsync(UploadId, _token);
            }

            return;
        }

        if ((long)reply != 1)
        {
            MarkLost();
            throw new LeaseLostException($"The lease {FencingToken} of upload {UploadId} is no longer held; the commit was not stored.");
        }
    }

    protected override async Task RemoveCoreAsync(CancellationToken cancellationToken)
    {
        var keys = _owner.Keys;
        RedisResult reply;
        try
        {
            reply = await _owner.RunReplicatedAsync(
                db => db.ScriptEvaluateAsync(
                    RedisScripts.Remove,
                    [keys.Lock(UploadId), keys.Record(UploadId), keys.Expiry],
                    [_token, UploadId],
                    CommandFlags.CommandRetryNever),
                "the remove script");
        }
        catch (CoordinationUnavailableException e) when (!RedisFailures.OutcomeKnown(e))
        {
            if ((await ReadRecordAsync(e, "removal", [])).Record is not null)
            {
                throw;
            }

            return;
        }

        if ((long)reply != 1)
        {
            MarkLost();
            throw new LeaseLostException($"The lease {FencingToken} of upload {UploadId} is no longer held; the record was not removed.");
        }
    }

    /// <summary>
    /// Milliseconds since the epoch, rounded up: reads round their bound down, so an upload is never
    /// reported expired before its time.
    /// </summary>
    private static long ExpiryScore(DateTimeOffset expiresAt) =>
        (expiresAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;

    /// <summary>
    /// After a commit with an unknown outcome: it counts as done only if the record now is exactly what
    /// this lease wrote, and, when it carried events, one of them is stored (an earlier commit of this
    /// lease may have left the same record; only this one writes these entries, though deliverers may
    /// already have deleted them all: that case stays unknown, and unavailable). With <c>WaitForReplicas</c>,
    /// enough replicas must have it. The reads go over the same connection after the script, so Redis
    /// answers them after the script if the script arrived.
    /// </summary>
    private async Task VerifyCommittedAsync(byte[] json, IReadOnlyList<OutboxEntry> events, CoordinationUnavailableException failure)
    {
        RedisKey[] entryKeys = [.. events.Select(e => (RedisKey)_owner.Keys.OutboxEntry(e.Id))];
        var (current, storedEntries) = await ReadRecordAsync(failure, "commit", entryKeys);
        if (current is null || !current.AsSpan().SequenceEqual(json))
        {
            throw new CoordinationUnavailableException($"The commit of upload {UploadId} under fence {FencingToken} was not stored.", failure);
        }

        if (entryKeys.Length > 0 && storedEntries == 0)
        {
            throw new CoordinationUnavailableException($"The commit of upload {UploadId} under fence {FencingToken} has an unknown outcome: its record is stored, none of its events is.", failure);
        }
    }

    /// <summary>Reads the record and counts which of <paramref name="entryKeys"/> exist, in one batch.</summary>
    private async Task<(byte[]? Record, long StoredEntries)> ReadRecordAsync(CoordinationUnavailableException failure, string what, RedisKey[] entryKeys)
    {
        try
        {
            var reply = await _owner.RunReplicatedAsync(
                async db =>
                {
                    var record = db.StringGetAsync(_owner.Keys.Record(UploadId));
                    var entries = entryKeys.Length == 0 ? Task.FromResult(0L) : db.KeyExistsAsync(entryKeys);
                    return RedisResult.Create([RedisResult.Create(await record), RedisResult.Create(await entries)]);
                },
                "GET");
            var parts = (RedisResult[])reply!;
            return ((byte[]?)parts[0], (long)parts[1]);
        }
        catch (CoordinationUnavailableException)
        {
            throw new CoordinationUnavailableException($"The {what} of upload {UploadId} under fence {FencingToken} has an unknown outcome.", failure);
        }
    }

    protected override async Task<LeaseRenewal> RenewAsync(CancellationToken stop)
    {
        try
        {
            var reply = await RedisFailures.RunAsync(
                () => _owner.Database.ScriptEvaluateAsync(RedisScripts.Renew, [_owner.Keys.Lock(UploadId)], [_token, _owner.LeaseTtlMilliseconds], CommandFlags.CommandRetryNever),
                "the renew script");
            return (long)reply == 1 ? LeaseRenewal.Renewed : LeaseRenewal.NotHeld;
        }
        catch (CoordinationUnavailableException)
        {
            return LeaseRenewal.Unreachable;
        }
        catch (ObjectDisposedException)
        {
            // The coordination was disposed under this lease.
            return LeaseRenewal.NotHeld;
        }
    }

    protected override Task ReleaseAsync() => _owner.ReleaseAsync(UploadId, _token);

    protected override void Forget() => _owner.Forget(this);
}
