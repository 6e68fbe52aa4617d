using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Google;
using Google.Apis.Storage.v1.Data;
using Google.Cloud.Storage.V1;
using Microsoft.Extensions.Options;
using TusCluster.Protocol;
using TusCluster.Protocol.Storage;
using Object = Google.Apis.Storage.v1.Data.Object;

namespace TusCluster.Storage.Gcs;

/// <summary>The GCS calls the store makes, on one bucket, with the store's names and sizes.</summary>
internal sealed class GcsBucket(StorageClient client, IOptions<GcsStoreOptions> options, IOptions<TusProtocolOptions> protocol)
{
    /// <summary>GCS composes at most 32 sources per call...</summary>
    public const int MaxComposeSources = 32;

    /// <summary>...into an object of at most 1024 components.</summary>
    public const int MaxComponents = 1024;

    public const long MaxComponentSize = 1024L * 1024 * 1024;

    // Every chunk but the last reaches the component size, so this many components cover the largest upload.
    private const int PlannedComponents = 1000;

    public StorageClient Client { get; } = client;

    public string Name { get; } = options.Value.Bucket;

    public ObjectKeys Names { get; } = new(options.Value.ObjectPrefix, options.Value.DatePartitioned);

    public long ComponentSize { get; } = EffectiveComponentSize(options.Value.ComponentSize, protocol.Value.MaxUploadSize);

    private int UploadChunkSize { get; } = options.Value.UploadChunkSize;

    /// <summary>The configured component size, grown (to whole MiB) until <see cref="PlannedComponents"/> cover the largest upload.</summary>
    public static long EffectiveComponentSize(long configured, long maxUploadSize)
    {
        const long MiB = 1024 * 1024;
        var needed = (maxUploadSize + PlannedComponents - 1) / PlannedComponents;
        return Math.Min(Math.Max(configured, (needed + MiB - 1) / MiB * MiB), MaxComponentSize);
    }

    /// <summary>
    /// Streams <paramref name="content"/> into a new object (ifGenerationMatch=0: an existing object is
    /// never replaced) with a resumable upload that holds one upload chunk in memory at a time.
    /// </summary>
    public Task<Object> CreateAsync(string name, Stream content, ObjectHeaders? headers, CancellationToken cancellationToken)
    {
        var target = new Object { Bucket = Name, Name = name, ContentType = headers?.ContentType ?? "application/octet-stream", Metadata = headers?.Metadata };
        var upload = new UploadObjectOptions { IfGenerationMatch = 0, ChunkSize = UploadChunkSize };
        return Client.UploadObjectAsync(target, content, upload, cancellationToken);
    }

    /// <summary>Composes <paramref name="sources"/> (each pinned to its generation) into a new object <paramref name="destination"/>.</summary>
    public Task<Object> ComposeAsync(IReadOnlyList<ComposeSource> sources, string destination, ObjectHeaders? headers, CancellationToken cancellationToken)
    {
        var request = new ComposeRequest
        {
            SourceObjects = sources.Select(s => new ComposeRequest.SourceObjectsData
            {
                Name = s.Name,
                Generation = s.Generation,
                ObjectPreconditions = new ComposeRequest.SourceObjectsData.ObjectPreconditionsData { IfGenerationMatch = s.Generation },
            }).ToList(),
            Destination = new Object { Bucket = Name, Name = destination, ContentType = headers?.ContentType ?? "application/octet-stream", Metadata = headers?.Metadata },
        };
        var compose = Client.Service.Objects.Compose(request, Name, destination);
        compose.IfGenerationMatch = 0;
        return compose.ExecuteAsync(cancellationToken);
    }

    public async Task<Object?> GetAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await Client.GetObjectAsync(Name, name, null, cancellationToken);
        }
        catch (GoogleApiException e) when (GcsErrors.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>Deletes one generation of an object; one that is already gone (or replaced) is left alone.</summary>
    public async Task DeleteAsync(string name, long? generation, CancellationToken cancellationToken)
    {
        try
        {
            await Client.DeleteObjectAsync(Name, name, new DeleteObjectOptions { Generation = generation }, cancellationToken);
        }
        catch (GoogleApiException e) when (GcsErrors.IsNotFound(e) || GcsErrors.IsPreconditionFailed(e))
        {
        }
    }

    public async IAsyncEnumerable<Object> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var found in Client.ListObjectsAsync(Name, prefix).WithCancellation(cancellationToken))
        {
            yield return found;
        }
    }

    /// <summary>
    /// Streams <paramref name="count"/> bytes of one generation of an object from <paramref name="offset"/>:
    /// a plain ranged GET through the client's authenticated HTTP client, since the client library itself
    /// only downloads into a stream it is given.
    /// </summary>
    public async Task<Stream> OpenReadAsync(string name, long generation, long offset, long count, CancellationToken cancellationToken)
    {
        var url = $"{Client.Service.BaseUri}b/{Uri.EscapeDataString(Name)}/o/{Uri.EscapeDataString(name)}?alt=media&generation={generation}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(offset, offset + count - 1);
        var response = await Client.Service.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.PartialContent)
        {
            return new GcsMediaStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
        }

        using (response)
        {
            throw new GoogleApiException("storage", $"Reading {Name}/{name} answered {(int)response.StatusCode}.") { HttpStatusCode = response.StatusCode };
        }
    }
}
