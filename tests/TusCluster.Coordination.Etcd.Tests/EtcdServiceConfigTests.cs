using Grpc.Core;
using TusCluster.Coordination.Etcd.Grpc;

namespace TusCluster.Coordination.Etcd.Tests;

/// <summary>
/// dotnet-etcd 10.0.0 retries every method 5 times on Unavailable; ours must never resend a write whose
/// outcome is unknown, so it may only resend one refused as Unauthenticated (refused before being proposed).
/// </summary>
public sealed class EtcdServiceConfigTests
{
    [Theory]
    [InlineData("etcdserverpb.KV", "Txn")]
    [InlineData("etcdserverpb.KV", "Put")]
    [InlineData("etcdserverpb.KV", "DeleteRange")]
    [InlineData("etcdserverpb.Lease", "LeaseGrant")]
    [InlineData("etcdserverpb.Lease", "LeaseRevoke")]
    public void Writes_are_resent_only_after_an_expired_token(string service, string method)
    {
        var config = Assert.Single(EtcdServiceConfig.Create().MethodConfigs, c => c.Names.Any(n => n.Service == service && n.Method == method));

        Assert.Null(config.HedgingPolicy);
        Assert.Equal([StatusCode.Unauthenticated], config.RetryPolicy!.RetryableStatusCodes);
    }

    [Fact]
    public void No_method_falls_back_to_a_default_policy()
    {
        var config = EtcdServiceConfig.Create();

        Assert.DoesNotContain(config.MethodConfigs.SelectMany(c => c.Names), n => n.Service is null or "" || n.Method is null or "");
        Assert.All(config.MethodConfigs.Where(c => c.RetryPolicy is not null), c => Assert.DoesNotContain(StatusCode.Unavailable, c.RetryPolicy!.RetryableStatusCodes));
    }

    [Fact]
    public void Reads_are_hedged_over_the_members()
    {
        var reads = Assert.Single(EtcdServiceConfig.Create().MethodConfigs, c => c.HedgingPolicy is not null);

        Assert.Equal(["Range", "Status"], reads.Names.Select(n => n.Method));
        Assert.Contains(StatusCode.Unavailable, reads.HedgingPolicy!.NonFatalStatusCodes);
    }
}
