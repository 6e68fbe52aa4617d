namespace TusCluster.Cluster.Tests;

/// <summary>
/// The cluster on the Azure store (azurite): the shared-store test with 1 MiB blocks, and a stale writer
/// frozen (SIGSTOP) past its lease whose staged blocks must never reach the blob.
/// </summary>
public sealed class AzureClusterTests(AzuriteServer azurite) : ObjectStoreClusterContract, IClassFixture<AzuriteServer>
{
    private const string Container = "tus-cluster-tests";
    private const string Prefix = "unruly/";

    protected override string[] StoreArguments() => azurite.ReplicaArguments(Container, Prefix, MiB);

    protected override Task<long?> StoredLengthAsync(string uploadId) => azurite.BlobLengthAsync(Container, Prefix + uploadId);

    [Fact]
    public async Task A_frozen_holder_whose_blocks_are_staged_commits_nothing()
    {
        await using var coordination = await CoordinationServer.StartAsync("Redis");
        const string prefix = "frozen/";

        // 64 KiB blocks (kept that small by a 1 GiB upload limit): the stale writer's first 400,000 bytes
        // are staged as blocks before it freezes.
        await using var cluster = await UploadCluster.StartAsync(
            2, [.. coordination.ReplicaArguments(FencingTests.LeaseTtl), .. azurite.ReplicaArguments(Container, prefix, 64 * 1024), "--Tus:MaxUploadSize=1073741824"]);
        await FencingTests.FrozenHolderCommitsNothingAsync(
            cluster,
            id => Eventually.HoldsAsync(async () => await azurite.UncommittedBlockCountAsync(Container, prefix + id) > 0, $"blocks of upload {id} staged", TimeSpan.FromSeconds(60)));
    }
}
