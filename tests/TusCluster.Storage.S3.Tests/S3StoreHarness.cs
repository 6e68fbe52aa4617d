using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;
using TusCluster.Protocol;
using TusCluster.S3Client;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;
using TusCluster.Storage.Contract;

namespace TusCluster.Storage.S3.Tests;

/// <summary>
/// An S3 store on the shared Ceph RGW under a key prefix of its own, driven the way the engine drives
/// it (settle, stage, commit, settle, finish) by the store contract's <see cref="StoreDriver"/>.
/// </summary>
internal sealed class S3StoreHarness : IAsyncDisposable
{
    private readonly StoreDriver _driver;

    public S3StoreHarness(S3TestServer ceph, Action<S3StoreOptions>? configure = null, bool overTls = false)
    {
        Options = overTls ? ceph.TlsOptions($"t{Guid.NewGuid():N}/") : ceph.Options($"t{Guid.NewGuid():N}/");
        configure?.Invoke(Options);
        Client = S3ClientFactory.Create(Options);
        Bucket = new S3Bucket(Client, Microsoft.Extensions.Options.Options.Create(Options), Microsoft.Extensions.Options.Options.Create(new TusProtocolOptions()));
        Store = new S3UploadStore(Bucket);
        _driver = new StoreDriver(Store);
    }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public S3StoreOptions Options { get; }

    public AmazonS3Client Client { get; }

    public S3Bucket Bucket { get; }

    public S3UploadStore Store { get; }

    public IUploadCoordination Coordination => _driver.Coordination;

    public int PartSize => Bucket.PartSize;

    public Task<UploadRecord> CreateAsync(long? length = null, string? metadata = null, UploadKind kind = UploadKind.Regular, DateTimeOffset? createdAt = null) =>
        _driver.CreateAsync(length, metadata, kind, createdAt);

    public Task<IUploadLease> AcquireAsync(string id) => _driver.AcquireAsync(id);

    /// <summary>One PATCH of a well-behaved holder; finishes the upload when it completes it.</summary>
    public Task<UploadRecord> AppendAsync(string id, byte[] bytes, int maxRead = int.MaxValue, long? newLength = null) =>
        _driver.AppendAsync(id, bytes, maxRead, newLength);

    public Task<UploadRecord> FinishAsync(IUploadLease lease, UploadRecord record) => _driver.FinishAsync(lease, record);

    public Task<UploadRecord> UploadAsync(byte[] bytes, string? metadata = null, UploadKind kind = UploadKind.Regular) =>
        _driver.UploadAsync(bytes, metadata, kind);

    public Task<byte[]> ReadAsync(UploadRecord record, long offset = 0, long count = long.MaxValue) => _driver.ReadAsync(record, offset, count);

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

    public static byte[] RandomBytes(int size, int seed) => StoreDriver.RandomBytes(size, seed);

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
        await _driver.DisposeAsync();
    }
}
