namespace TusCluster.Cluster.Tests;

/// <summary>The shared-store cluster test on a real S3 bucket (Ceph RGW), parts of 5 MiB.</summary>
public sealed class S3ClusterTests(CephRgw s3) : ObjectStoreClusterContract, IClassFixture<CephRgw>
{
    private const string Bucket = "tus-cluster-tests";
    private const string KeyPrefix = "unruly/";

    protected override string[] StoreArguments() => s3.ReplicaArguments(Bucket, KeyPrefix);

    protected override async Task<long?> StoredLengthAsync(string uploadId) => await s3.ObjectLengthAsync(Bucket, KeyPrefix + uploadId);
}
