using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Microsoft.Extensions.Options;
using TusCluster.Protocol;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Azure;

/// <summary>The Azure calls the store makes, on one container, with the store's names and block size.</summary>
internal sealed class AzureContainer(BlobContainerClient client, IOptions<AzureStoreOptions> options, IOptions<TusProtocolOptions> protocol)
{
    private static readonly TimeSpan SourceSasLifetime = TimeSpan.FromHours(1);

    public BlobContainerClient Client { get; } = client;

    public string Name => Client.Name;

    public ObjectKeys Keys { get; } = new(options.Value.BlobPrefix, options.Value.DatePartitioned);

    public int BlockSize { get; } = EffectiveBlockSize(options.Value.BlockSize, protocol.Value.MaxUploadSize);

    /// <summary>Blocks can be staged from a partial's URL: the credential (an account key) can sign one for reading.</summary>
    public bool CanStageFromUrl { get; } = options.Value.StageBlocksFromUrl && client.CanGenerateSasUri;

    /// <summary>The configured block size, grown (to whole MiB) until 50,000 blocks cover the largest upload.</summary>
    public static int EffectiveBlockSize(int configured, long maxUploadSize)
    {
        const long MiB = 1024 * 1024;
        var needed = (maxUploadSize + AzureStoreOptions.MaxBlocks - 1) / AzureStoreOptions.MaxBlocks;
        var size = Math.Max(configured, needed <= configured ? configured : (needed + MiB - 1) / MiB * MiB);
        return (int)Math.Min(size, AzureStoreOptions.MaximumBlockSize);
    }

    public BlockBlobClient Blob(string name) => Client.GetBlockBlobClient(name);

    public async Task StageBlockAsync(string name, string blockId, ArraySegment<byte> bytes, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false);
        await Blob(name).StageBlockAsync(blockId, body, options: null, cancellationToken);
    }

    /// <summary>Stages <paramref name="count"/> bytes of another blob, from <paramref name="offset"/>, without them passing through here.</summary>
    public async Task StageBlockFromBlobAsync(string name, string blockId, string source, long offset, long count, CancellationToken cancellationToken)
    {
        var sourceUrl = Blob(source).GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow + SourceSasLifetime);
        await Blob(name).StageBlockFromUriAsync(sourceUrl, blockId, new StageBlockFromUriOptions { SourceRange = new HttpRange(offset, count) }, cancellationToken);
    }

    /// <summary>A small blob (a tail), written in one request.</summary>
    public async Task UploadSmallAsync(string name, ArraySegment<byte> bytes, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false);
        await Blob(name).UploadAsync(body, new BlobUploadOptions(), cancellationToken);
    }

    /// <summary>Reads exactly <paramref name="target"/>'s length from <paramref name="offset"/> of a blob.</summary>
    public async Task ReadExactlyAsync(string name, long offset, Memory<byte> target, CancellationToken cancellationToken)
    {
        if (target.IsEmpty)
        {
            return;
        }

        var response = await Blob(name).DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(offset, target.Length) }, cancellationToken);
        using var result = response.Value;
        await using var content = result.Content;
        await content.ReadExactlyAsync(target, cancellationToken);
    }

    public async Task CommitAsync(string name, IEnumerable<string> blockIds, FinalObjectHeaders? headers, CancellationToken cancellationToken)
    {
        var commit = new CommitBlockListOptions();
        if (headers is not null)
        {
            commit.HttpHeaders = new BlobHttpHeaders { ContentType = headers.ContentType };
            commit.Metadata = AzureMetadata.From(headers);
        }

        await Blob(name).CommitBlockListAsync(blockIds, commit, cancellationToken);
    }

    /// <summary>Deletes blobs by name; ones already gone are fine.</summary>
    public async Task DeleteAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        foreach (var name in names)
        {
            await Client.DeleteBlobIfExistsAsync(name, DeleteSnapshotsOption.IncludeSnapshots, conditions: null, cancellationToken);
        }
    }

    /// <summary>Deletes the temporary blobs (tails) of the upload blob <paramref name="name"/>.</summary>
    public async Task DeleteTemporaryAsync(string name, CancellationToken cancellationToken)
    {
        var temporary = new List<string>();
        await foreach (var blob in ListAsync(name + ObjectKeys.TempSuffix, cancellationToken))
        {
            temporary.Add(blob.Name);
        }

        await DeleteAsync(temporary, cancellationToken);
    }

    /// <summary>Every blob under <paramref name="prefix"/>, uncommitted ones (blocks staged, none committed) included.</summary>
    public IAsyncEnumerable<BlobItem> ListAsync(string prefix, CancellationToken cancellationToken) =>
        Client.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, States = BlobStates.Uncommitted }, cancellationToken);
}
