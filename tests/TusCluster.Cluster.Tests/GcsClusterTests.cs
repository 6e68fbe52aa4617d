namespace TusCluster.Cluster.Tests;

/// <summary>
/// The GCS store in a cluster, against FakeGcsServer (no GCS emulator runs here): three replicas sharing
/// a bucket, and a frozen holder that wakes after a takeover (its chunk object is never composed in).
/// </summary>
public sealed class GcsClusterTests : ObjectStoreClusterContract, IAsyncLifetime
{
    private const string Bucket = "tus-cluster-tests";
    private const string Prefix = "unruly/";
    private FakeGcsProcess? _gcs;

    private FakeGcsProcess Gcs => _gcs ?? throw new InvalidOperationException("The fake GCS server has not been started.");

    public async ValueTask InitializeAsync() => _gcs = await FakeGcsProcess.LaunchAsync();

    public async ValueTask DisposeAsync()
    {
        if (_gcs is not null)
        {
            await _gcs.DisposeAsync();
        }
    }

    protected override string[] StoreArguments() => Gcs.ReplicaArguments(Bucket, Prefix);

    protected override async Task<long?> StoredLengthAsync(string uploadId) => await Gcs.ObjectLengthAsync(Bucket, Prefix + uploadId);

    [Fact]
    public async Task A_frozen_holder_that_wakes_after_a_takeover_commits_nothing()
    {
        await using var coordination = await CoordinationServer.StartAsync("Redis");

        // Upload chunks of 256 KiB, so that the frozen writer's first bytes reach GCS before it is frozen.
        await using var cluster = await UploadCluster.StartAsync(
            2, [.. coordination.ReplicaArguments(FencingTests.LeaseTtl), .. Gcs.ReplicaArguments(Bucket, "frozen/"), "--Tus:Storage:Gcs:UploadChunkSize=262144"]);
        await FencingTests.FrozenHolderCommitsNothingAsync(cluster, _ => Gcs.WaitForBytesInFlightAsync());
    }
}
