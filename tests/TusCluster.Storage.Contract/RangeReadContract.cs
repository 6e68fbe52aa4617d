namespace TusCluster.Storage.Contract;

/// <summary>Reads of a finished upload return exactly the requested window, across block boundaries.</summary>
public abstract class RangeReadContract(StoreUnderTest target) : UploadStoreContract(target)
{
    [Fact]
    public async Task Every_window_reads_exactly_its_bytes()
    {
        var content = RandomBytes((2 * Block) + 5, seed: 40);
        var record = await Driver.CreateAsync(content.Length);
        record = await Driver.AppendAsync(record.Id, content[..(Block - 2)]);
        record = await Driver.AppendAsync(record.Id, content[(Block - 2)..]);

        (int Offset, int Count)[] windows = [(0, 1), (0, content.Length), (Block - 1, 2), (Block - 3, Block + 6), (Block, Block), (content.Length - 1, 1), (7, 1000)];
        foreach (var (offset, count) in windows)
        {
            Assert.Equal(content[offset..(offset + count)], await Driver.ReadAsync(record, offset, count));
        }
    }

    [Fact]
    public async Task A_window_running_past_the_end_stops_at_the_end()
    {
        var content = RandomBytes(Block + 9, seed: 41);
        var record = await Driver.UploadAsync(content);

        Assert.Equal(content[3..], await Driver.ReadAsync(record, 3));
        Assert.Equal(content[^4..], await Driver.ReadAsync(record, content.Length - 4, 100));
    }
}
