using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.Contract;

/// <summary>
/// Stale writers (an older fence) may write bytes, and may fail doing so, but never change committed ones.
/// A released lease stands in for a lost one (see <see cref="StoreDriver"/>).
/// </summary>
public abstract class FencingContract(StoreUnderTest target) : UploadStoreContract(target)
{
    [Fact]
    public async Task A_stale_writer_stalled_mid_body_never_changes_the_committed_bytes()
    {
        var stale = RandomBytes(Block + 100, seed: 10);
        var fresh = RandomBytes((2 * Block) + 10, seed: 11);
        var record = await Driver.CreateAsync(fresh.Length);
        record = await Driver.AppendAsync(record.Id, fresh[..5]);

        // A has staged more than a block when it stalls and loses its lease.
        var a = await Driver.AcquireAsync(record.Id);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var body = new TrickleStream(stale, maxRead: 16 * 1024, gate: gate.Task, rest: [1, 2, 3]);
        var staging = Store.StageAsync(a.Record!, a, body, Ct).AsTask();
        await body.AtGate.WaitAsync(Generous, Ct);
        await a.DisposeAsync();

        // B writes the rest of the upload and finishes it meanwhile.
        record = await Driver.AppendAsync(record.Id, fresh[5..]);
        Assert.Equal(UploadStatus.Finished, record.Status);

        // A wakes up: staging may finish or fail, its commit is refused, the engine discards what it staged.
        gate.SetResult();
        var staged = await StageOrFailAsync(staging);
        if (staged is not null)
        {
            await Assert.ThrowsAsync<LeaseLostException>(() => a.CommitAsync(a.Record! with { Offset = 5 + staged.Length, StoreState = staged.StoreState }, Ct).AsTask());
            await Store.DiscardAsync(a.Record!, staged, Ct);
        }

        Assert.Equal(fresh, await Driver.ReadAsync(record));
    }

    [Fact]
    public async Task A_stale_chunk_that_is_never_discarded_never_reaches_the_content()
    {
        var first = RandomBytes(Block + 1, seed: 12);
        var second = RandomBytes(Block + 2, seed: 13);
        var record = await Driver.CreateAsync(first.Length + second.Length);

        // A stages a whole chunk and dies without committing or discarding it.
        await using (var a = await Driver.AcquireAsync(record.Id))
        {
            await Store.StageAsync(a.Record!, a, new MemoryStream(RandomBytes((2 * Block) + 5, seed: 14)), Ct);
        }

        record = await Driver.AppendAsync(record.Id, first);
        record = await Driver.AppendAsync(record.Id, second);

        Assert.Equal(UploadStatus.Finished, record.Status);
        var read = await Driver.ReadAsync(record);
        Assert.Equal([.. first, .. second], read);
    }

    [Fact]
    public async Task Stale_writers_racing_the_holder_round_after_round_never_change_the_committed_bytes()
    {
        var chunks = Enumerable.Range(0, 4).Select(round => RandomBytes(Block + (round * 777) + 1, seed: 20 + round)).ToArray();
        var content = chunks.SelectMany(c => c).ToArray();
        var record = await Driver.CreateAsync(content.Length);
        foreach (var chunk in chunks)
        {
            // A stale writer starts staging, loses its lease mid-body and finishes after the holder committed.
            var stale = await Driver.AcquireAsync(record.Id);
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var body = new TrickleStream(RandomBytes(Block / 2, seed: 99), maxRead: 4096, gate: gate.Task, rest: RandomBytes(Block, seed: 98));
            var staging = Store.StageAsync(stale.Record!, stale, body, Ct).AsTask();
            await body.AtGate.WaitAsync(Generous, Ct);
            await stale.DisposeAsync();

            record = await Driver.AppendAsync(record.Id, chunk);
            gate.SetResult();
            if (await StageOrFailAsync(staging) is { } staged)
            {
                await Store.DiscardAsync(stale.Record!, staged, Ct);
            }
        }

        Assert.Equal(UploadStatus.Finished, record.Status);
        Assert.Equal(content, await Driver.ReadAsync(record));
    }

    [Fact]
    public async Task A_late_settle_of_an_older_commit_changes_nothing()
    {
        var first = RandomBytes(Block + 3, seed: 30);
        var second = RandomBytes(Block - 3, seed: 31);
        var third = RandomBytes(50, seed: 32);
        var record = await Driver.CreateAsync(first.Length + second.Length + third.Length);
        var byA = await Driver.AppendAsync(record.Id, first);
        var byB = await Driver.AppendAsync(record.Id, second);

        // A settles its commit again, long after B moved on, and again once the upload is finished.
        await Store.SettleAsync(byA, Ct);
        var finished = await Driver.AppendAsync(record.Id, third);
        await Store.SettleAsync(byA, Ct);
        await Store.SettleAsync(byB, Ct);

        var read = await Driver.ReadAsync(finished);
        Assert.Equal([.. first, .. second, .. third], read);
    }

    /// <summary>A stale writer's staging may end in a store failure or a refused reservation; both are fine.</summary>
    private static async Task<StagedChunk?> StageOrFailAsync(Task<StagedChunk> staging)
    {
        try
        {
            return await staging.WaitAsync(Generous, Ct);
        }
        catch (Exception e) when (e is StoreUnavailableException or LeaseLostException)
        {
            return null;
        }
    }
}
