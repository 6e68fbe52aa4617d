using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;
using static TusCluster.Storage.FileSystem.Tests.StoreFixture;

namespace TusCluster.Storage.FileSystem.Tests;

public sealed class FileSystemUploadStoreIdTests : IDisposable
{
    private readonly TemporaryDirectory _temp = new();
    private readonly FileSystemUploadStore _store;

    public FileSystemUploadStoreIdTests()
    {
        _store = StoreFixture.Create(Path.Combine(_temp.Path, "root"));
    }

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> NotUploadIds =>
    [
        "",
        "..",
        "../../etc",
        "../../../../../../../../../../tmp/x",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "0123456789ABCDEF0123456789abcdef",
        "0123456789abcdef0123456789abcde",
        "0123456789abcdef0123456789abcdef0",
        "0123456789abcdef/123456789abcdef",
        "..3456789abcdef0123456789abcdef0",
        "/123456789abcdef0123456789abcdef",
        "0123456789abcdef0123456789abcde\0",
    ];

    [Theory]
    [MemberData(nameof(NotUploadIds))]
    public async Task Every_method_rejects_an_id_that_is_not_an_upload_id_and_creates_nothing(string id)
    {
        var record = NewRecord(length: 10) with { Id = id, Offset = 3, StoreState = "5:0:3" };
        var valid = NewRecord(length: 10);

        await Assert.ThrowsAsync<ArgumentException>(async () => await _store.CreateAsync(record, Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _store.StageAsync(record, new FixedFenceStaging(6), new MemoryStream(RandomBytes(10, 1)), Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _store.DiscardAsync(record with { StoreState = null }, new StagedChunk(7, "6:3:7"), Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _store.SettleAsync(record, Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _store.SettleAsync(record with { StoreState = "5:3:7" }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _store.CompleteAsync(record, Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _store.ConcatenateAsync(record, [valid], Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _store.OpenReadAsync(record, 0, 10, Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _store.DeleteAsync(record, Ct));

        Assert.Empty(_temp.Entries());
    }

    [Theory]
    [MemberData(nameof(NotUploadIds))]
    public async Task Concatenation_rejects_a_partial_whose_id_is_not_an_upload_id_and_writes_no_file(string id)
    {
        var final = NewRecord();
        var partial = NewRecord(length: 0) with { Id = id, Kind = UploadKind.Partial };

        await Assert.ThrowsAsync<ArgumentException>(async () => await _store.ConcatenateAsync(final, [partial], Ct));

        Assert.Empty(_temp.Files());
    }
}
