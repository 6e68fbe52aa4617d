using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Contract;

/// <summary>Deleting removes every byte of one upload, staged or committed, is idempotent and spares the others.</summary>
public abstract class DeletionContract(StoreUnderTest target) : UploadStoreContract(target)
{
    [Fact]
    public async Task Deleting_an_unfinished_upload_with_a_stale_chunk_twice_removes_it_and_spares_the_others()
    {
        var otherContent = RandomBytes(20, seed: 60);
        var other = await Driver.UploadAsync(otherContent);
        var record = await Driver.CreateAsync(3L * Block);
        record = await Driver.AppendAsync(record.Id, RandomBytes(Block + 10, seed: 61));
        await using (var stale = await Driver.AcquireAsync(record.Id))
        {
            await Store.StageAsync(stale.Record!, stale, new MemoryStream(RandomBytes(Block + 5, seed: 62)), Ct);
        }

        Assert.Contains(record.Id, await InventoryIdsAsync() ?? [record.Id]);
        await Store.DeleteAsync(record, Ct);
        await Store.DeleteAsync(record, Ct);

        Assert.DoesNotContain(record.Id, await InventoryIdsAsync() ?? []);
        Assert.Equal(otherContent, await Driver.ReadAsync(other));
    }

    [Fact]
    public async Task Deleting_a_finished_upload_twice_removes_it()
    {
        var record = await Driver.UploadAsync(RandomBytes(Block + 1, seed: 63));

        await Store.DeleteAsync(record, Ct);
        await Store.DeleteAsync(record, Ct);

        Assert.DoesNotContain(record.Id, await InventoryIdsAsync() ?? []);
    }

    [Fact]
    public async Task Deleting_an_upload_that_never_received_bytes_succeeds()
    {
        var record = await Driver.CreateAsync(100);

        await Store.DeleteAsync(record, Ct);
        await Store.DeleteAsync(record, Ct);

        Assert.DoesNotContain(record.Id, await InventoryIdsAsync() ?? []);
    }
}
