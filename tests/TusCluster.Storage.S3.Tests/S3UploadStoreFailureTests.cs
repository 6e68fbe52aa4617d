using System.Net;
using System.Net.Sockets;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;
using static TusCluster.Storage.S3.Tests.S3StoreHarness;

namespace TusCluster.Storage.S3.Tests;

public sealed class S3UploadStoreFailureTests(S3TestServer ceph)
{
    [Fact]
    public async Task AnUnreachableEndpointIsUnavailableNotAnError()
    {
        await using var s3 = new S3StoreHarness(ceph, o => o.ServiceUrl = $"http://127.0.0.1:{ClosedPort()}");
        var record = new UploadRecord { Id = UploadId.New(), Length = 100, Offset = 0, CreatedAt = DateTimeOffset.UtcNow };
        var tail = new S3UploadState { Tail = new TailObject(s3.Bucket.Keys.Temp(record, 1), 10) }.Format();

        Assert.False(await s3.Store.IsHealthyAsync(Ct));
        await using var lease = await s3.AcquireAsync(record.Id);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => s3.Store.StageAsync(record, lease, new MemoryStream(new byte[10]), Ct).AsTask());
        await Assert.ThrowsAsync<StoreUnavailableException>(() => s3.Store.StageAsync(record with { StoreState = tail, Offset = 10 }, lease, new MemoryStream(new byte[1]), Ct).AsTask());
        await Assert.ThrowsAsync<StoreUnavailableException>(() => s3.Store.CompleteAsync(record with { Offset = 100, StoreState = tail }, Ct).AsTask());
        await Assert.ThrowsAsync<StoreUnavailableException>(() => s3.Store.OpenReadAsync(record, 0, 10, Ct).AsTask());
        await Assert.ThrowsAsync<StoreUnavailableException>(() => s3.Store.DeleteAsync(record, Ct).AsTask());
        await Assert.ThrowsAsync<StoreUnavailableException>(() => s3.Store.SettleAsync(record with { StoreState = new S3UploadState { Obsolete = ["x"] }.Format() }, Ct).AsTask());
    }

    [Fact]
    public async Task TheRealServerIsHealthy()
    {
        await using var s3 = new S3StoreHarness(ceph);
        Assert.True(await s3.Store.IsHealthyAsync(Ct));
    }

    [Fact]
    public async Task IdsThatAreNotUploadIdsNeverBecomeKeys()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var record = new UploadRecord { Id = "../../etc/passwd", CreatedAt = DateTimeOffset.UtcNow };

        await Assert.ThrowsAsync<ArgumentException>(() => s3.Store.CreateAsync(record, Ct).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => s3.Store.OpenReadAsync(record with { Length = 1 }, 0, 1, Ct).AsTask());
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
