using Microsoft.Extensions.Options;
using TusCluster.Protocol;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.Azure.Tests;

/// <summary>An account that cannot be reached: every operation is a retryable store failure (503), never a bug (500).</summary>
public sealed class AzureUploadStoreFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unreachable_account_is_a_store_failure_and_unhealthy()
    {
        var options = new AzureStoreOptions
        {
            ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.AccountName};AccountKey={AzuriteServer.AccountKey};BlobEndpoint=http://127.0.0.1:{FreePort.Next()}/{AzuriteServer.AccountName};",
            Container = "unreachable",
        };
        var container = new AzureContainer(AzureClientFactory.Create(options), Options.Create(options), Options.Create(new TusProtocolOptions()));
        var store = new AzureUploadStore(container);
        var record = new UploadRecord { Id = UploadId.New(), Length = 10, CreatedAt = DateTimeOffset.UtcNow, StoreState = """{"block":1048576,"runs":[],"tail":{"name":"x.tmp/1-a","size":3}}""" };

        Assert.False(await store.IsHealthyAsync(Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.StageAsync(record, new FixedFence(), new MemoryStream(new byte[10]), Ct).AsTask());
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.OpenReadAsync(record with { Status = UploadStatus.Finished }, 0, 10, Ct).AsTask());
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.DeleteAsync(record, Ct).AsTask());
    }

    private sealed class FixedFence : IStagingContext
    {
        public long FencingToken => 7;

        public bool RecordExists => true;

        public ValueTask CommitStoreStateAsync(string? storeState, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
