using TusCluster.S3Client;

[assembly: AssemblyFixture(typeof(TusCluster.Coordination.S3.Tests.CephServer))]

namespace TusCluster.Coordination.S3.Tests;

/// <summary>
/// One real S3 (Ceph RGW) for the whole run; tests keep apart by key prefix in one bucket. The bucket is made
/// here, once: the first bucket of a new RGW creates its pools, which a loaded machine takes a while over. The
/// outage tests start their own server, since they kill its gateway.
/// </summary>
public sealed class CephServer : IAsyncLifetime
{
    public const string Bucket = "tus-coordination-tests";

    internal CephRgw Ceph { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await Ceph.InitializeAsync();
        using var client = S3ClientFactory.Create(Fixtures.Options(Ceph, string.Empty));
        await S3BucketCreation.EnsureExistsAsync(client, Bucket, CancellationToken.None);
    }

    public ValueTask DisposeAsync() => Ceph.DisposeAsync();
}
