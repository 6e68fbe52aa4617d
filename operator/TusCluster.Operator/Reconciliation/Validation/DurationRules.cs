using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation.Validation;

/// <summary>Every duration field of the spec parses as a TimeSpan the services accept.</summary>
internal static class DurationRules
{
    public static void Validate(TusServerSpec spec, List<string> errors)
    {
        var r = spec.Coordination?.Redis;
        var e = spec.Coordination?.Etcd;
        var d = spec.Coordination?.DynamoDb;
        var s = spec.Sweeper;
        (string Path, string? Value)[] durations =
        [
            ("spec.coordination.redis.leaseTtl", r?.LeaseTtl), ("spec.coordination.redis.connectTimeout", r?.ConnectTimeout),
            ("spec.coordination.redis.commandTimeout", r?.CommandTimeout), ("spec.coordination.etcd.leaseTtl", e?.LeaseTtl),
            ("spec.coordination.etcd.requestTimeout", e?.RequestTimeout), ("spec.coordination.dynamoDb.leaseTtl", d?.LeaseTtl),
            ("spec.coordination.dynamoDb.handOverPollInterval", d?.HandOverPollInterval), ("spec.coordination.dynamoDb.requestTimeout", d?.RequestTimeout),
            ("spec.limits.lockAcquireTimeout", spec.Limits?.LockAcquireTimeout), ("spec.expiration.unfinishedAfter", spec.Expiration?.UnfinishedAfter),
            ("spec.expiration.tombstoneRetention", spec.Expiration?.TombstoneRetention), ("spec.server.drainPeriod", spec.Server?.DrainPeriod),
            ("spec.server.commitGracePeriod", spec.Server?.CommitGracePeriod), ("spec.sweeper.interval", s?.Interval),
            ("spec.sweeper.finishedRetention", s?.FinishedRetention), ("spec.sweeper.orphanGracePeriod", s?.OrphanGracePeriod),
        ];
        foreach (var (path, value) in durations)
        {
            if (value is not null && (!Duration.TryParse(value, out var parsed) || parsed < TimeSpan.Zero))
            {
                errors.Add($"{path} '{value}' is not a duration like 00:00:05 or 1.00:00:00.");
            }
        }

        if (Duration.TryParse(spec.Server?.CommitGracePeriod, out var commit) && commit <= TimeSpan.Zero)
        {
            errors.Add("spec.server.commitGracePeriod must be positive.");
        }
    }
}
