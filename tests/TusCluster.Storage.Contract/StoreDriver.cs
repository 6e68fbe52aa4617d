using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.Coordination.Embedded;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.Contract;

/// <summary>
/// Drives a store the way the engine does (settle, stage under the lease, commit, settle, finish) with
/// the real embedded coordination, so fences and reservations are the real ones. The embedded lease
/// cannot expire: releasing it stands in for losing it, its later commits fail with
/// <see cref="LeaseLostException"/> exactly as an expired lease's do.
/// </summary>
public sealed class StoreDriver : IAsyncDisposable
{
    private static readonly TimeSpan LeaseWait = TimeSpan.FromSeconds(30);

    private readonly TemporaryDirectory _records = new();
    private readonly ServiceProvider _services;

    public StoreDriver(IUploadStore store)
    {
        Store = store;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Tus:Coordination:Embedded:Directory"] = _records.Path })
            .Build();
        _services = new ServiceCollection().AddEmbeddedCoordination(configuration).BuildServiceProvider();
        Coordination = _services.GetRequiredService<IUploadCoordination>();
    }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public IUploadStore Store { get; }

    public IUploadCoordination Coordination { get; }

    public async Task<UploadRecord> CreateAsync(long? length, string? metadata = null, UploadKind kind = UploadKind.Regular, DateTimeOffset? createdAt = null)
    {
        var record = new UploadRecord { Id = UploadId.New(), Length = length, Metadata = metadata, Kind = kind, CreatedAt = createdAt ?? DateTimeOffset.UtcNow };
        await using var lease = await AcquireAsync(record.Id);
        record = record with { StoreState = await Store.CreateAsync(record, Ct) };
        return await lease.CommitAndReleaseAsync(record, Ct);
    }

    public Task<IUploadLease> AcquireAsync(string id) => Coordination.AcquireAsync(id, LeaseWait, Ct).AsTask();

    /// <summary>One PATCH of a well-behaved holder; finishes the upload when it completes it.</summary>
    public async Task<UploadRecord> AppendAsync(string id, byte[] bytes, int maxRead = int.MaxValue, long? newLength = null)
    {
        await using var lease = await AcquireAsync(id);
        var record = lease.Record!;
        await Store.SettleAsync(record, Ct);
        using var body = new TrickleStream(bytes, maxRead);
        var staged = await Store.StageAsync(record, lease, body, Ct);
        Assert.Equal(bytes.Length, staged.Length);
        var updated = record with { Offset = record.Offset + staged.Length, Length = newLength ?? record.Length, StoreState = staged.StoreState };
        if (!updated.IsComplete)
        {
            var committed = await lease.CommitAndReleaseAsync(updated, Ct);
            await Store.SettleAsync(committed, Ct);
            return committed;
        }

        return await FinishAsync(lease, await lease.CommitAsync(updated, Ct));
    }

    public async Task<UploadRecord> FinishAsync(IUploadLease lease, UploadRecord record)
    {
        await Store.SettleAsync(record, Ct);
        var state = await Store.CompleteAsync(record, Ct);
        return await lease.CommitAsync(record with { Status = UploadStatus.Finished, ExpiresAt = null, StoreState = state }, Ct);
    }

    /// <summary>A finished upload of <paramref name="bytes"/>, written as one PATCH.</summary>
    public async Task<UploadRecord> UploadAsync(byte[] bytes, string? metadata = null, UploadKind kind = UploadKind.Regular)
    {
        var record = await CreateAsync(bytes.Length, metadata, kind);
        if (bytes.Length == 0)
        {
            await using var lease = await AcquireAsync(record.Id);
            return await FinishAsync(lease, lease.Record!);
        }

        return await AppendAsync(record.Id, bytes);
    }

    /// <summary>A finished final upload made of <paramref name="partials"/>, as the engine assembles one.</summary>
    public async Task<UploadRecord> ConcatenateAsync(IReadOnlyList<UploadRecord> partials, string? metadata = null)
    {
        var final = await CreateAsync(null, metadata, UploadKind.Final) with { PartialIds = [.. partials.Select(p => p.Id)] };
        await using var lease = await AcquireAsync(final.Id);
        var state = await Store.ConcatenateAsync(final, partials, Ct);
        var length = partials.Sum(p => p.Length!.Value);
        return await lease.CommitAsync(final with { Length = length, Offset = length, Status = UploadStatus.Finished, StoreState = state }, Ct);
    }

    public async Task<byte[]> ReadAsync(UploadRecord record, long offset = 0, long count = long.MaxValue)
    {
        await using var stream = await Store.OpenReadAsync(record, offset, count, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    public static byte[] RandomBytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _records.Dispose();
    }
}
