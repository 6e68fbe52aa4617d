using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.S3;

/// <summary>
/// Hand-over requests are keys <c>handover/{id}/{fence}</c>. While this replica holds leases it lists that prefix
/// every poll interval (<see cref="HandOverPoll"/>), one LIST for all of its leases, signals the leases someone
/// asked to hand over, and removes requests nobody needs any more.
/// </summary>
internal sealed partial class S3UploadCoordination
{
    /// <summary>One look, run by <see cref="HandOverPoll"/> while this replica holds leases.</summary>
    private async Task PollHandOversAsync(CancellationToken stop)
    {
        await foreach (var request in Objects.ListAllAsync(Keys.HandOverPrefix, stop))
        {
            if (!Keys.TryParseHandOver(request.Key, out var uploadId, out var fence))
            {
                continue;
            }

            if (!_leases.TryGetValue(uploadId, out var lease))
            {
                // A waiter repeats its request while it waits, so one untouched for two lease TTLs has no waiter:
                // its holder released before seeing it, and the waiter took the upload or gave up.
                if (request.LastModified is { } written && DateTime.UtcNow - written.ToUniversalTime() > Options.LeaseTtl * 2)
                {
                    var abandoned = request.Key;
                    Detach(token => Objects.DeleteAsync(abandoned, token));
                }

                continue;
            }

            if (lease.FencingToken == fence)
            {
                lease.RequestHandOver();
            }
            else if (fence < lease.FencingToken)
            {
                // Left by an earlier holder that died before releasing: nobody needs it any more.
                var stale = request.Key;
                Detach(token => Objects.DeleteAsync(stale, token));
            }
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Debug, Message = "Listing hand-over requests failed; trying again at the next poll.")]
    private partial void LogPollFailed(Exception exception);
}
