using Microsoft.Extensions.Options;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.FileSystem.Tests;

/// <summary>Drives the store the way the engine does: settle, stage, commit the record, settle.</summary>
internal static class StoreFixture
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static FileSystemUploadStore Create(string root, bool datePartitioned = false, bool fsync = false) =>
        new(Options.Create(new FileSystemStoreOptions { Root = root, DatePartitioned = datePartitioned, Fsync = fsync }));

    public static UploadRecord NewRecord(long? length = null, DateTimeOffset? createdAt = null) =>
        new() { Id = UploadId.New(), Length = length, CreatedAt = createdAt ?? DateTimeOffset.UtcNow };

    public static async Task<UploadRecord> CreateUploadAsync(FileSystemUploadStore store, long? length = null)
    {
        var record = NewRecord(length);
        return record with { StoreState = await store.CreateAsync(record, Ct) };
    }

    public static byte[] RandomBytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static byte[] Filled(int size, byte value)
    {
        var bytes = new byte[size];
        Array.Fill(bytes, value);
        return bytes;
    }

    /// <summary>What the coordination commit does with a staged chunk.</summary>
    public static UploadRecord Commit(UploadRecord record, long fence, StagedChunk staged) =>
        record with { Offset = record.Offset + staged.Length, StoreState = staged.StoreState, Fence = fence };

    public static async Task<(UploadRecord Committed, StagedChunk Staged)> StageAndCommitAsync(
        FileSystemUploadStore store, UploadRecord record, long fence, byte[] bytes, int maxRead = int.MaxValue)
    {
        using var body = new TrickleStream(bytes, maxRead);
        var staged = await store.StageAsync(record, new FixedFenceStaging(fence), body, Ct);
        Assert.Equal(bytes.Length, staged.Length);
        return (Commit(record, fence, staged), staged);
    }

    /// <summary>One whole PATCH of a well-behaved holder.</summary>
    public static async Task<UploadRecord> AppendAsync(FileSystemUploadStore store, UploadRecord record, long fence, byte[] bytes, int maxRead = int.MaxValue)
    {
        await store.SettleAsync(record, Ct);
        var (committed, _) = await StageAndCommitAsync(store, record, fence, bytes, maxRead);
        await store.SettleAsync(committed, Ct);
        return committed;
    }

    /// <summary>A finished partial upload holding <paramref name="bytes"/>, written as one PATCH.</summary>
    public static async Task<UploadRecord> CreatePartialAsync(FileSystemUploadStore store, byte[] bytes, long fence = 5)
    {
        var partial = await CreateUploadAsync(store, bytes.Length) with { Kind = UploadKind.Partial };
        if (bytes.Length > 0)
        {
            partial = await AppendAsync(store, partial, fence, bytes);
        }

        return partial with { StoreState = await store.CompleteAsync(partial, Ct) };
    }

    public static UploadRecord NewFinal(IEnumerable<UploadRecord> partials) =>
        NewRecord() with { Kind = UploadKind.Final, PartialIds = [.. partials.Select(p => p.Id)] };

    public static async Task<byte[]> ReadAsync(FileSystemUploadStore store, UploadRecord record, long offset, long count)
    {
        await using var stream = await store.OpenReadAsync(record, offset, count, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    public static Task<byte[]> ReadAllAsync(FileSystemUploadStore store, UploadRecord record) =>
        ReadAsync(store, record, 0, long.MaxValue);

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(part => part)];
}
