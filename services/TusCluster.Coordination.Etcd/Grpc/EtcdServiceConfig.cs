using Grpc.Core;
using Grpc.Net.Client.Configuration;

namespace TusCluster.Coordination.Etcd.Grpc;

/// <summary>
/// The gRPC service config of the channel to etcd. dotnet-etcd 10.0.0 sets, for every method, a retry
/// policy of 5 attempts on <c>Unavailable</c> (backoff 1 s to 5 s, throttled at 10 tokens). A
/// transaction that was sent and then failed with <c>Unavailable</c> (connection reset while etcd applied
/// it) would be sent again: a lock attempt would then find its own lock taken, and the whole bound of a
/// request would be spent in backoff. So this replaces it: reads and the status call (which change
/// nothing) are hedged and retried, and the only write ever resent is one etcd refused for an expired
/// auth token, which it does before proposing it (so it was not applied). Everything else that fails is
/// reported to the caller, who knows whether the outcome matters.
/// </summary>
internal static class EtcdServiceConfig
{
    /// <summary>How long a read waits for an answer before a second copy goes to the next member.</summary>
    internal static readonly TimeSpan HedgingDelay = TimeSpan.FromMilliseconds(300);

    public static ServiceConfig Create() => new()
    {
        MethodConfigs = { Reads(), Writes() },
        LoadBalancingConfigs = { new RoundRobinConfig() },
    };

    private static MethodConfig Reads() => new()
    {
        Names =
        {
            new MethodName { Service = "etcdserverpb.KV", Method = "Range" },
            new MethodName { Service = "etcdserverpb.Maintenance", Method = "Status" },
        },
        HedgingPolicy = new HedgingPolicy
        {
            MaxAttempts = 3,
            HedgingDelay = HedgingDelay,
            NonFatalStatusCodes = { StatusCode.Unavailable, StatusCode.Unauthenticated },
        },
    };

    private static MethodConfig Writes() => new()
    {
        Names =
        {
            new MethodName { Service = "etcdserverpb.KV", Method = "Txn" },
            new MethodName { Service = "etcdserverpb.KV", Method = "Put" },
            new MethodName { Service = "etcdserverpb.KV", Method = "DeleteRange" },
            new MethodName { Service = "etcdserverpb.Lease", Method = "LeaseGrant" },
            new MethodName { Service = "etcdserverpb.Lease", Method = "LeaseRevoke" },
        },
        RetryPolicy = new RetryPolicy
        {
            MaxAttempts = 2,
            InitialBackoff = TimeSpan.FromMilliseconds(10),
            MaxBackoff = TimeSpan.FromMilliseconds(10),
            BackoffMultiplier = 1,
            RetryableStatusCodes = { StatusCode.Unauthenticated },
        },
    };
}
