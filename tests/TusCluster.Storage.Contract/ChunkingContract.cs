using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.Contract;

/// <summary>However the bytes arrive (chunk sizes, reads, deferred length), the upload holds exactly them.</summary>
public abstract class ChunkingContract(StoreUnderTest target) : UploadStoreContract(target)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Chunks_from_one_byte_to_several_blocks_in_random_order_give_identical_content(int seed)
    {
        int[] sizes = [1, 1, 2, 17, 4096, Block - 1, Block, Block + 1, 3 * Block, 2 * Block - 7];
        var random = new Random(seed);
        random.Shuffle(sizes);
        var content = RandomBytes(sizes.Sum(), seed);
        var record = await Driver.CreateAsync(content.Length);

        var position = 0;
        foreach (var size in sizes)
        {
            // Socket-sized reads for some chunks, whole-buffer reads for the others.
            var maxRead = random.Next(3) switch { 0 => 1000, 1 => 16 * 1024, _ => int.MaxValue };
            record = await Driver.AppendAsync(record.Id, content[position..(position + size)], maxRead);
            position += size;
            Assert.Equal(position, record.Offset);
        }

        Assert.Equal(UploadStatus.Finished, record.Status);
        Assert.Equal(content, await Driver.ReadAsync(record));
    }

    [Fact]
    public async Task One_byte_chunks_lose_nothing()
    {
        var content = RandomBytes(40, seed: 4);
        var record = await Driver.CreateAsync(content.Length);
        foreach (var b in content)
        {
            record = await Driver.AppendAsync(record.Id, [b]);
        }

        Assert.Equal(UploadStatus.Finished, record.Status);
        Assert.Equal(content, await Driver.ReadAsync(record));
    }

    [Fact]
    public async Task A_deferred_length_declared_with_the_last_chunk_gives_identical_content()
    {
        var content = RandomBytes((2 * Block) + 1000, seed: 5);
        var record = await Driver.CreateAsync(length: null);
        record = await Driver.AppendAsync(record.Id, content[..(Block + 10)]);
        Assert.Null(record.Length);
        record = await Driver.AppendAsync(record.Id, content[(Block + 10)..], newLength: content.Length);

        Assert.Equal(UploadStatus.Finished, record.Status);
        Assert.Equal(content, await Driver.ReadAsync(record));
    }

    [Fact]
    public async Task An_empty_upload_reads_as_empty()
    {
        var record = await Driver.UploadAsync([]);

        Assert.Equal(UploadStatus.Finished, record.Status);
        Assert.Empty(await Driver.ReadAsync(record));
    }
}
