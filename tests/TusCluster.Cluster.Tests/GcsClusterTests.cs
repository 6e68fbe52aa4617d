namespace TusCluster.Cluster.Tests;

/// <summary>
/// The GCS store in a cluster, against FakeGcsServer (no GCS emulator runs here): three replicas sharing
/// a bucket, and a frozen holder that wakes after a takeover (its chunk object is never composed in).
/// </summary>
public sealed class GcsClusterTests
{
    private const string Bucket = "tus-cluster-tests";
    private const string Prefix = "unruly/";

    [Fact]
    public async Task Unruly_and_tus_js_clients_on_three_replicas_sharing_a_bucket_end_with_exact_files()
    {
        await using var gcs = await FakeGcsProcess.LaunchAsync();
        await SharedBucketScenario.RunAsync(gcs.ReplicaArguments(Bucket, Prefix), id => gcs.ObjectLengthAsync(Bucket, Prefix + id));
    }

    [Fact]
    public async Task A_frozen_holder_that_wakes_after_a_takeover_commits_nothing()
    {
        await using var gcs = await FakeGcsProcess.LaunchAsync();
        // Upload chunks of 256 KiB, so that the frozen writer's first bytes reach GCS before it is frozen.
        string[] store = [.. gcs.ReplicaArguments(Bucket, Prefix), "--Tus:Storage:Gcs:UploadChunkSize=262144"];
        await FencingTests.FrozenHolderCommitsNothingAsync("Redis", store, _ => gcs.WaitForBytesInFlightAsync());
    }
}
