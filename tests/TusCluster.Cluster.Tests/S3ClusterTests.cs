namespace TusCluster.Cluster.Tests;

/// <summary>
/// Three replicas behind nginx round-robin sharing one real S3 bucket (Ceph RGW) as the store, with
/// Redis coordination: every chunk may land on any replica, so parts, tails and completion written by
/// one replica must be taken up exactly by the others.
/// </summary>
public sealed class S3ClusterTests(CephRgw s3) : IClassFixture<CephRgw>
{
    private const string Bucket = "tus-cluster-tests";
    private const string KeyPrefix = "unruly/";

    [Fact]
    public Task Unruly_and_tus_js_clients_on_three_replicas_sharing_a_bucket_end_with_exact_files() =>
        SharedBucketScenario.RunAsync(s3.ReplicaArguments(Bucket, KeyPrefix), id => s3.ObjectLengthAsync(Bucket, KeyPrefix + id));
}
