using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Coordination.Embedded;
using TusCluster.Protocol;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.S3.Tests;

/// <summary>
/// An S3 store on the shared Ceph RGW under a key prefix of its own, driven the way the engine drives
/// it (settle, stage, commit, settle, finish) with the real embedded coordination on a temp directory.
/// </summary>
internal sealed class S3StoreHarness : IAsyncDisposable
{
    private readonly string _metaDirectory = Path.Combine(Path.GetTempPath(), $"tus-s3-meta-{Guid.NewGuid():N}");
    private readonly ServiceProvider _coordinationServices;

    public S3StoreHarness(S3TestServer ceph, Action<S3StoreOptions>? configure = null)
    {
        Options = ceph.Options($"t{Guid.NewGuid():N}/");
        configure?.Invoke(Options);
        Client = S3ClientFactory.Create(Options);
        Bucket = new S3Bucket(Client, Microsoft.Extensions.Options.Options.Create(Options), Microsoft.Extensions.Options.Options.Create(new TusProtocolOptions()));
        Store = new S3UploadStore(Bucket);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Tus:Coordination:Embedded:Directory"] = _metaDirectory })
            .Build();
        _coordinationServices = new ServiceCollection().AddEmbeddedCoordination(configuration).BuildServiceProvider();
        Coordination = _coordinationServices.GetRequiredService<IUploadCoordination>();
    }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public S3StoreOptions Options { get; }

    public AmazonS3Client Client { get; }

    public S3Bucket Bucket { get; }

    public S3UploadStore Store { get; }

    public IUploadCoordination Coordination { get; }

    public int PartSize => Bucket.PartSize;

    public async Task<UploadRecord> CreateAsync(long? length = null, string? metadata = null, UploadKind kind = UploadKind.Regular, DateTimeOffset? createdAt = null)
    {
        var record = new UploadRecord { Id = UploadId.New(), Length = length, Metadata = metadata, Kind = kind, CreatedAt = createdAt ?? DateTimeOffset.UtcNow };
        await using var lease = await AcquireAsync(record.Id);
        record = record with { StoreState = await Store.CreateAsync(record, Ct) };
        return await lease.CommitAndReleaseAsync(record, Ct);
    }

    public Task<IUploadLease> AcquireAsync(string id) => Coordination.AcquireAsync(id, TimeSpan.FromSeconds(5), Ct).AsTask();

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

    public async Task<byte[]> ReadAsync(UploadRecord record, long offset = 0, long count = long.MaxValue)
    {
        await using var stream = await Store.OpenReadAsync(record, offset, count, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    public async Task<List<string>> ListKeysAsync()
    {
        var response = await Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Options.Bucket, Prefix = Options.KeyPrefix }, Ct);
        return [.. (response.S3Objects ?? []).Select(o => o.Key)];
    }

    public async Task<List<MultipartUpload>> ListMultipartAsync()
    {
        var response = await Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Options.Bucket, Prefix = Options.KeyPrefix }, Ct);
        return response.MultipartUploads ?? [];
    }

    public static byte[] RandomBytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        // Memstore keeps everything in RAM: leave nothing behind.
        try
        {
            foreach (var upload in await ListMultipartAsync())
            {
                await Client.AbortMultipartUploadAsync(Options.Bucket, upload.Key, upload.UploadId, CancellationToken.None);
            }

            var keys = await ListKeysAsync();
            if (keys.Count > 0)
            {
                await Client.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = Options.Bucket, Objects = [.. keys.Select(k => new KeyVersion { Key = k })] }, CancellationToken.None);
            }
        }
        catch (AmazonServiceException)
        {
            // The unreachable-endpoint harness has nothing to clean.
        }
        catch (HttpRequestException)
        {
        }

        Client.Dispose();
        await _coordinationServices.DisposeAsync();
        if (Directory.Exists(_metaDirectory))
        {
            Directory.Delete(_metaDirectory, recursive: true);
        }
    }
}
