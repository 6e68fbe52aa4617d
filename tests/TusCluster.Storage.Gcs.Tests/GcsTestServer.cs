using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

[assembly: AssemblyFixture(typeof(TusCluster.Storage.Gcs.Tests.GcsTestServer))]

namespace TusCluster.Storage.Gcs.Tests;

/// <summary>
/// One FakeGcsServer process (no GCS emulator runs here) for the whole run of the store's tests, with one
/// bucket made by the store's own initializer. Tests share the bucket and keep apart by object prefix.
/// </summary>
public sealed class GcsTestServer : IAsyncLifetime
{
    public const string Bucket = "tus-gcs-tests";

    private FakeGcsProcess? _fake;

    public FakeGcsProcess Fake => _fake ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeGcsProcess.LaunchAsync();
        var options = Options(string.Empty);
        options.CreateBucket = true;
        options.ProjectId = "tus-tests";
        var bucket = new GcsBucket(GcsClientFactory.Create(options), Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Options.Options.Create(new Protocol.TusProtocolOptions()));
        await new GcsBucketInitializer(bucket, Microsoft.Extensions.Options.Options.Create(options), NullLogger<GcsBucketInitializer>.Instance).EnsureBucketAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }
    }

    /// <summary>Store options for this server, with the smallest sizes GCS allows so that many objects appear on little data.</summary>
    public GcsStoreOptions Options(string prefix) => new()
    {
        Endpoint = Fake.Endpoint,
        NoAuthentication = true,
        Bucket = Bucket,
        ObjectPrefix = prefix,
        UploadChunkSize = GcsStoreOptions.UploadGranularity,
        ComponentSize = GcsStoreOptions.UploadGranularity,
    };
}
