using System.Text;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;
using TusCluster.Storage.Azure.Tests.Contract;
using TusCluster.Storage.Contract;

namespace TusCluster.Storage.Azure.Tests;

/// <summary>What the finished blob is made of: exactly the committed blocks, whatever stale writers staged.</summary>
public sealed class AzureBlockListTests(AzuriteFixture azurite) : UploadStoreContract(new AzureStoreUnderTest(azurite))
{
    [Fact]
    public async Task The_finished_blob_lists_exactly_the_committed_blocks_and_no_stale_ones()
    {
        var content = RandomBytes((3 * Block) + 10, seed: 1);
        var record = await Driver.CreateAsync(content.Length, "filetype aW1hZ2UvcG5n,name ZmlsZS5wbmc=,x-trace dA==");
        record = await Driver.AppendAsync(record.Id, content[..(Block + 5)]);
        var firstFence = record.Fence;

        // A stale writer stages two full blocks and gives up; its blocks exist, uncommitted.
        await using (var stale = await Driver.AcquireAsync(record.Id))
        {
            await Store.StageAsync(stale.Record!, stale, new MemoryStream(RandomBytes(2 * Block, seed: 2)), Ct);
        }

        var blob = Blob(record);
        Assert.Equal(3, (await blob.GetBlockListAsync(BlockListTypes.Uncommitted, cancellationToken: Ct)).Value.UncommittedBlocks.Count());

        record = await Driver.AppendAsync(record.Id, content[(Block + 5)..]);
        Assert.Equal(UploadStatus.Finished, record.Status);

        var blocks = (await blob.GetBlockListAsync(BlockListTypes.All, cancellationToken: Ct)).Value;
        Assert.Empty(blocks.UncommittedBlocks);
        Assert.Equal([Block, Block, Block, 10], blocks.CommittedBlocks.Select(b => b.SizeLong));
        var ids = blocks.CommittedBlocks.Select(b => Encoding.ASCII.GetString(Convert.FromBase64String(b.Name))).ToList();
        Assert.EndsWith($"-{firstFence:D19}-00000", ids[0], StringComparison.Ordinal);
        Assert.EndsWith($"-{record.Fence:D19}-00001", ids[1], StringComparison.Ordinal);
        Assert.EndsWith($"-{record.Fence:D19}-00002", ids[2], StringComparison.Ordinal);
        Assert.StartsWith(BlockIds.TailNonce, ids[3], StringComparison.Ordinal);

        var properties = (await blob.GetPropertiesAsync(cancellationToken: Ct)).Value;
        Assert.Equal("image/png", properties.ContentType);
        Assert.Equal("file.png", properties.Metadata["name"]);
        Assert.Equal("t", properties.Metadata["x_trace"]);
        Assert.Equal(content, await Driver.ReadAsync(record));
        Assert.Empty(await NamesAsync(Container.Keys.Object(record) + ".tmp/"));
    }

    [Fact]
    public async Task Completing_again_after_the_tail_was_removed_changes_nothing()
    {
        var content = RandomBytes(Block + 7, seed: 3);
        var record = await Driver.CreateAsync(content.Length);
        await using var lease = await Driver.AcquireAsync(record.Id);
        var staged = await Store.StageAsync(lease.Record!, lease, new MemoryStream(content), Ct);
        var committed = await lease.CommitAsync(lease.Record! with { Offset = content.Length, StoreState = staged.StoreState }, Ct);

        // The first finisher removed the tail blob and died before committing; the next one finishes again.
        await Store.CompleteAsync(committed, Ct);
        Assert.Empty(await NamesAsync(Container.Keys.Object(record) + ".tmp/"));
        await Store.CompleteAsync(committed, Ct);

        Assert.Equal(content, await Driver.ReadAsync(committed with { Status = UploadStatus.Finished }));
    }

    [Fact]
    public async Task Termination_of_an_unfinished_upload_leaves_no_blob_and_no_staged_block()
    {
        var record = await Driver.CreateAsync(3L * Block);
        record = await Driver.AppendAsync(record.Id, RandomBytes(Block + 3, seed: 4));
        Assert.NotEmpty(await NamesAsync(Container.Keys.Object(record)));

        await Store.DeleteAsync(record, Ct);

        Assert.Empty(await NamesAsync(Container.Keys.Object(record)));
    }

    private AzureContainer Container => ((AzureStoreUnderTest)Target).Container;

    private BlockBlobClient Blob(UploadRecord record) => Container.Blob(Container.Keys.Object(record));

    private async Task<List<string>> NamesAsync(string prefix)
    {
        var names = new List<string>();
        await foreach (var blob in Container.ListAsync(prefix, Ct))
        {
            names.Add(blob.Name);
        }

        return names;
    }
}
