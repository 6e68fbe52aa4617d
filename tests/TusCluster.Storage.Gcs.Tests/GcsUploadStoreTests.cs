using System.Text;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Gcs.Tests;

/// <summary>What the contract does not see: how the GCS store lays an upload out in objects and cleans up after itself.</summary>
public sealed class GcsUploadStoreTests(GcsTestServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Forty_chunks_are_composed_in_levels_into_one_object_with_its_headers_and_nothing_else_is_left()
    {
        await using var harness = new GcsStoreHarness(server);
        var component = (int)harness.Bucket.ComponentSize;
        var data = StoreDriverBytes(40 * component);
        var metadata = $"filetype {Convert.ToBase64String(Encoding.ASCII.GetBytes("image/png"))},name {Convert.ToBase64String(Encoding.ASCII.GetBytes("cat.png"))}";
        var upload = await harness.Driver.CreateAsync(data.Length, metadata);
        for (var i = 0; i < 39; i++)
        {
            upload = await harness.Driver.AppendAsync(upload.Id, data[(i * component)..((i + 1) * component)]);
        }

        Assert.Equal(39, GcsUploadState.Parse(upload.StoreState).Chunks.Length);
        var finished = await harness.Driver.AppendAsync(upload.Id, data[(39 * component)..]);

        var final = await harness.Client.GetObjectAsync(harness.Options.Bucket, harness.Bucket.Names.Object(finished), null, Ct);
        Assert.Equal(40, final.ComponentCount);
        Assert.Equal("image/png", final.ContentType);
        Assert.Equal("cat.png", final.Metadata["name"]);
        Assert.Equal([harness.Bucket.Names.Object(finished)], await harness.ObjectNamesAsync());
        Assert.Equal(data, await harness.Driver.ReadAsync(finished));
    }

    [Fact]
    public async Task Chunks_below_the_component_size_are_merged_into_one_object()
    {
        await using var harness = new GcsStoreHarness(server);
        var data = StoreDriverBytes(6000);
        var upload = await harness.Driver.CreateAsync(null);
        for (var i = 0; i < 6; i++)
        {
            upload = await harness.Driver.AppendAsync(upload.Id, data[(i * 1000)..((i + 1) * 1000)]);
        }

        var chunk = Assert.Single(GcsUploadState.Parse(upload.StoreState).Chunks);
        Assert.Equal(6000, chunk.Size);
        Assert.Equal([chunk.Name], await harness.ObjectNamesAsync());
    }

    [Fact]
    public async Task Sources_over_1024_components_are_copied_through_rather_than_composed()
    {
        await using var harness = new GcsStoreHarness(server);
        var first = await harness.Driver.UploadAsync(StoreDriverBytes(3000));
        var second = await harness.Driver.UploadAsync(StoreDriverBytes(5000));
        ComposeSource Source(Protocol.Uploads.UploadRecord upload) =>
            new(harness.Bucket.Names.Object(upload), GcsUploadState.Parse(upload.StoreState).Final!.Generation, upload.Length!.Value, 600);

        var made = await new ObjectComposer(harness.Bucket).ComposeAsync(harness.Options.ObjectPrefix + "copied", [Source(first), Source(second)], ObjectHeaders.From(null), Ct);

        Assert.Null(made.ComponentCount);
        Assert.Equal(8000UL, made.Size);
    }

    [Fact]
    public async Task An_unreachable_gcs_is_a_store_failure_worth_retrying()
    {
        await using var harness = new GcsStoreHarness(server, options => options.Endpoint = $"http://127.0.0.1:{FreePort.Next()}/");
        var upload = await harness.Driver.CreateAsync(10);
        await using var lease = await harness.Driver.AcquireAsync(upload.Id);

        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await harness.Store.StageAsync(lease.Record!, lease, new MemoryStream(new byte[10]), Ct));
        Assert.False(await harness.Store.IsHealthyAsync(Ct));
    }

    private static byte[] StoreDriverBytes(int size) => TusCluster.Storage.Contract.StoreDriver.RandomBytes(size, size);
}
