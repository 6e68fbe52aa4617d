using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;
using static TusCluster.Storage.FileSystem.Tests.StoreFixture;

namespace TusCluster.Storage.FileSystem.Tests;

public sealed class FileSystemUploadStoreTests : IDisposable
{
    private readonly TemporaryDirectory _temp = new();
    private readonly string _root;
    private readonly FileSystemUploadStore _store;

    public FileSystemUploadStoreTests()
    {
        _root = Path.Combine(_temp.Path, "root");
        _store = StoreFixture.Create(_root);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Create_makes_the_upload_directory_and_returns_no_state()
    {
        var record = NewRecord(length: 10);

        var state = await _store.CreateAsync(record, Ct);

        Assert.Null(state);
        Assert.True(Directory.Exists(Path.Combine(_root, record.Id)));
        Assert.Equal(["root", $"root/{record.Id}"], _temp.Entries());
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1000)]
    public async Task Chunks_of_many_sizes_read_back_byte_identical(int maxRead)
    {
        int[] sizes = [1, 2, 7, 4096, 65_535, 262_143, 262_144, 262_145, 1_048_575, 1_048_576, 1_048_577, 3 * 1024 * 1024, 1];
        var chunks = sizes.Select((size, i) => RandomBytes(size, seed: i)).ToArray();
        var record = await CreateUploadAsync(_store, length: sizes.Sum());

        var fence = 100L;
        foreach (var chunk in chunks)
        {
            record = await AppendAsync(_store, record, ++fence, chunk, maxRead);
        }

        Assert.True(record.IsComplete);
        record = record with { StoreState = await _store.CompleteAsync(record, Ct) };
        Assert.Equal(Concat(chunks), await ReadAllAsync(_store, record));
        Assert.Equal([$"root/{record.Id}/data"], _temp.Files());
    }

    [Fact]
    public async Task Staging_reports_the_chunk_as_pending_at_the_current_offset()
    {
        var record = await CreateUploadAsync(_store);
        record = await AppendAsync(_store, record, 3, RandomBytes(10, 1));

        var staged = await _store.StageAsync(record, new FixedFenceStaging(4), new MemoryStream(RandomBytes(25, 2)), Ct);

        Assert.Equal(25, staged.Length);
        Assert.Equal("4:10:25", staged.StoreState);
        Assert.True(File.Exists(Path.Combine(_root, record.Id, "4.chunk")));
    }

    [Fact]
    public async Task An_empty_body_stages_nothing()
    {
        var record = await CreateUploadAsync(_store);

        var staged = await _store.StageAsync(record, new FixedFenceStaging(5), new MemoryStream(), Ct);

        Assert.Equal(0, staged.Length);
        Assert.Null(staged.StoreState);
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, record.Id)));
    }

    [Fact]
    public async Task An_empty_body_keeps_the_committed_state()
    {
        var record = await CreateUploadAsync(_store);
        record = await AppendAsync(_store, record, 5, RandomBytes(100, 1));

        var staged = await _store.StageAsync(record, new FixedFenceStaging(6), new MemoryStream(), Ct);

        Assert.Equal(new StagedChunk(0, record.StoreState), staged);
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, record.Id), "*.chunk"));
    }

    [Fact]
    public async Task Discard_removes_the_staged_chunk_and_leaves_the_data_alone()
    {
        var first = RandomBytes(1000, 1);
        var record = await CreateUploadAsync(_store);
        record = await AppendAsync(_store, record, 5, first);

        var staged = await _store.StageAsync(record, new FixedFenceStaging(6), new MemoryStream(RandomBytes(500, 2)), Ct);
        Assert.True(File.Exists(Path.Combine(_root, record.Id, "6.chunk")));
        await _store.DiscardAsync(record, staged, Ct);

        Assert.Equal([$"root/{record.Id}/data"], _temp.Files());
        Assert.Equal(first, await ReadAllAsync(_store, record));
    }

    [Fact]
    public async Task Discarding_an_empty_chunk_keeps_the_committed_chunk_that_is_not_settled_yet()
    {
        var bytes = RandomBytes(1000, 1);
        var record = await CreateUploadAsync(_store);
        var (committed, _) = await StageAndCommitAsync(_store, record, 5, bytes);

        // The next request stages nothing (e.g. it sent an empty body) and throws it away.
        var empty = await _store.StageAsync(committed, new FixedFenceStaging(6), new MemoryStream(), Ct);
        await _store.DiscardAsync(committed, empty, Ct);

        Assert.True(File.Exists(Path.Combine(_root, record.Id, "5.chunk")));
        await _store.SettleAsync(committed, Ct);
        Assert.Equal(bytes, await ReadAllAsync(_store, committed));
    }

    [Fact]
    public async Task Complete_of_a_zero_byte_upload_creates_an_empty_readable_data_file()
    {
        var record = await CreateUploadAsync(_store, length: 0);

        record = record with { StoreState = await _store.CompleteAsync(record, Ct) };

        Assert.True(File.Exists(Path.Combine(_root, record.Id, "data")));
        Assert.Empty(await ReadAsync(_store, record, 0, 0));
        Assert.Empty(await ReadAllAsync(_store, record));
    }

    [Fact]
    public async Task Complete_is_idempotent_and_keeps_the_bytes()
    {
        var bytes = RandomBytes(70_000, 1);
        var record = await CreateUploadAsync(_store, length: bytes.Length);
        record = await AppendAsync(_store, record, 5, bytes);

        await _store.CompleteAsync(record, Ct);
        await _store.CompleteAsync(record, Ct);

        Assert.Equal(bytes, await ReadAllAsync(_store, record));
    }

    [Fact]
    public async Task Concatenate_writes_the_partials_in_order_and_is_idempotent()
    {
        byte[][] parts = [RandomBytes(300_000, 1), [], RandomBytes(1_500_000, 2), RandomBytes(17, 3)];
        var partials = new List<UploadRecord>();
        foreach (var part in parts)
        {
            var partial = await CreateUploadAsync(_store, length: part.Length) with { Kind = UploadKind.Partial };
            if (part.Length > 0)
            {
                partial = await AppendAsync(_store, partial, 9, part[..(part.Length / 2)]);
                partial = await AppendAsync(_store, partial, 10, part[(part.Length / 2)..]);
            }

            partial = partial with { StoreState = await _store.CompleteAsync(partial, Ct) };
            partials.Add(partial);
        }

        var final = NewRecord() with { Kind = UploadKind.Final, PartialIds = [.. partials.Select(p => p.Id)] };

        await _store.ConcatenateAsync(final, partials, Ct);
        Assert.Equal(Concat(parts), await ReadAllAsync(_store, final));
        await _store.ConcatenateAsync(final, partials, Ct);

        Assert.Equal(Concat(parts), await ReadAllAsync(_store, final));
        Assert.DoesNotContain(_temp.Files(), file => !file.EndsWith("/data", StringComparison.Ordinal));
        foreach (var (partial, part) in partials.Zip(parts))
        {
            Assert.Equal(part, await ReadAllAsync(_store, partial));
        }
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 1)]
    [InlineData(0, 2_000_000)]
    [InlineData(1, 10)]
    [InlineData(999_990, 20)]
    [InlineData(1_048_570, 1_048_600)]
    [InlineData(1_999_999, 1)]
    [InlineData(1_999_999, 100)]
    [InlineData(2_000_000, 5)]
    public async Task Open_read_returns_exactly_the_window(long offset, long count)
    {
        var first = RandomBytes(1_000_000, 1);
        var second = RandomBytes(1_000_000, 2);
        var all = Concat(first, second);
        var record = await CreateUploadAsync(_store, length: all.Length);
        record = await AppendAsync(_store, record, 5, first);
        record = await AppendAsync(_store, record, 6, second);
        await _store.CompleteAsync(record, Ct);

        var window = await ReadAsync(_store, record, offset, count);

        var end = (int)Math.Min(all.Length, offset + count);
        Assert.Equal(all[(int)offset..end], window);
    }

    [Fact]
    public async Task Open_read_honours_the_window_with_small_reads()
    {
        var all = RandomBytes(5000, 1);
        var record = await CreateUploadAsync(_store, length: all.Length);
        record = await AppendAsync(_store, record, 5, all);
        await _store.CompleteAsync(record, Ct);

        await using var stream = await _store.OpenReadAsync(record, 100, 1000, Ct);
        var read = new List<byte>();
        var buffer = new byte[7];
        int n;
        while ((n = await stream.ReadAsync(buffer, Ct)) > 0)
        {
            read.AddRange(buffer.AsSpan(0, n));
        }

        Assert.Equal(all[100..1100], read);
        Assert.Equal(0, stream.Read(buffer, 0, buffer.Length));
    }

    [Fact]
    public async Task Delete_removes_the_upload_directory_and_is_idempotent()
    {
        var record = await CreateUploadAsync(_store);
        record = await AppendAsync(_store, record, 5, RandomBytes(1000, 1));
        await _store.StageAsync(record, new FixedFenceStaging(6), new MemoryStream(RandomBytes(10, 2)), Ct);
        var other = await CreateUploadAsync(_store);
        other = await AppendAsync(_store, other, 7, RandomBytes(10, 3));

        await _store.DeleteAsync(record, Ct);
        await _store.DeleteAsync(record, Ct);

        Assert.False(Directory.Exists(Path.Combine(_root, record.Id)));
        Assert.Equal(["root", $"root/{other.Id}", $"root/{other.Id}/data"], _temp.Entries());
    }

    [Fact]
    public async Task Delete_of_an_upload_that_never_existed_does_nothing()
    {
        await _store.DeleteAsync(NewRecord(), Ct);

        Assert.Empty(_temp.Entries());
    }

    [Fact]
    public async Task Nothing_is_ever_written_outside_the_root()
    {
        var store = StoreFixture.Create(_root, fsync: true);
        Assert.True(await store.IsHealthyAsync(Ct));
        var partials = new List<UploadRecord>();
        for (var i = 0; i < 2; i++)
        {
            var partial = await CreateUploadAsync(store, length: 2000);
            partial = await AppendAsync(store, partial, 10 + i, RandomBytes(1000, i));
            var staged = await store.StageAsync(partial, new FixedFenceStaging(20 + i), new MemoryStream(RandomBytes(5000, i)), Ct);
            await store.DiscardAsync(partial, staged, Ct);
            partial = await AppendAsync(store, partial, 30 + i, RandomBytes(1000, i));
            await store.CompleteAsync(partial, Ct);
            partials.Add(partial);
        }

        var final = NewRecord() with { Kind = UploadKind.Final };
        await store.ConcatenateAsync(final, partials, Ct);
        await ReadAllAsync(store, final);
        await store.DeleteAsync(partials[0], Ct);

        Assert.All(_temp.Entries(), entry => Assert.True(entry == "root" || entry.StartsWith("root/", StringComparison.Ordinal), entry));
        string[] expected = [$"root/{final.Id}/data", $"root/{partials[1].Id}/data"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), _temp.Files());
    }

    [Fact]
    public async Task Date_partitioning_places_the_upload_under_the_utc_creation_date()
    {
        var root = Path.Combine(_temp.Path, "dated");
        var store = StoreFixture.Create(root, datePartitioned: true);
        // 23:30 on the 5th in New York is the 6th in UTC.
        var record = NewRecord(length: 10, createdAt: new DateTimeOffset(2024, 3, 5, 23, 30, 0, TimeSpan.FromHours(-5)));
        await store.CreateAsync(record, Ct);

        record = await AppendAsync(store, record, 5, RandomBytes(10, 1));
        await store.CompleteAsync(record, Ct);

        Assert.Equal([$"dated/2024/03/06/{record.Id}/data"], _temp.Files());
        Assert.Equal(RandomBytes(10, 1), await ReadAllAsync(store, record));
        await store.DeleteAsync(record, Ct);
        Assert.False(Directory.Exists(Path.Combine(root, "2024", "03", "06", record.Id)));
        Assert.Empty(_temp.Files());
    }

    [Fact]
    public async Task Is_healthy_on_a_writable_root_and_leaves_no_probe_behind()
    {
        Assert.True(await _store.IsHealthyAsync(Ct));

        Assert.Equal(["root"], _temp.Entries());
    }

    [Fact]
    public async Task Is_unhealthy_when_the_root_lies_under_a_regular_file()
    {
        var file = Path.Combine(_temp.Path, "file.txt");
        await File.WriteAllTextAsync(file, "not a directory", Ct);
        var store = StoreFixture.Create(Path.Combine(file, "sub"));

        Assert.False(await store.IsHealthyAsync(Ct));
    }

    [Fact]
    public async Task Failures_of_the_disk_are_reported_as_store_unavailable()
    {
        var file = Path.Combine(_temp.Path, "file.txt");
        await File.WriteAllTextAsync(file, "not a directory", Ct);
        var store = StoreFixture.Create(Path.Combine(file, "sub"));
        var record = NewRecord(length: 3);

        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.CreateAsync(record, Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.StageAsync(record, new FixedFenceStaging(5), new MemoryStream([1, 2, 3]), Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.OpenReadAsync(record, 0, 3, Ct));
    }
}
