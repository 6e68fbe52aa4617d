using System.Buffers;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;
using TusCluster.Protocol;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.S3;

/// <summary>The S3 calls the store makes, on one bucket, with the store's keys and part size.</summary>
internal sealed class S3Bucket(IAmazonS3 client, IOptions<S3StoreOptions> options, IOptions<TusProtocolOptions> protocol)
{
    /// <summary>S3 allows part numbers 1 to 10,000.</summary>
    public const int MaxPartNumber = 10_000;

    // Part numbers spent on chunks that were never committed (lost leases, checksum mismatches) are
    // gone for good, so the part size is chosen for fewer parts than S3 allows.
    private const int PlannedParts = 9_000;

    public IAmazonS3 Client { get; } = client;

    public string Name { get; } = options.Value.Bucket;

    public ObjectKeys Keys { get; } = new(options.Value.KeyPrefix, options.Value.DatePartitioned);

    public int PartSize { get; } = EffectivePartSize(options.Value.PartSize, protocol.Value.MaxUploadSize);

    public int MaxConcurrentPartUploads { get; } = options.Value.MaxConcurrentPartUploads;

    // Over HTTPS, TLS already protects the bytes: hashing every part for the signature only costs CPU.
    // Over plain HTTP the payload hash is the only integrity check the request has, so it stays, but as one
    // SHA-256 of the whole part (UseChunkEncoding = false) rather than aws-chunked streaming signatures: parts are
    // in memory anyway, and the gateway's CPU per GiB nearly halved without chunk signatures (loadtests/bench-s3.sh).
    public bool? UnsignedPayload { get; } = IsHttps(options.Value.ServiceUrl) && options.Value.UnsignedPayloadOverHttps ? true : null;

    /// <summary>The configured part size, grown (to whole MiB) until <see cref="PlannedParts"/> parts cover the largest upload.</summary>
    public static int EffectivePartSize(long configured, long maxUploadSize)
    {
        const long MiB = 1024 * 1024;
        var needed = (maxUploadSize + PlannedParts - 1) / PlannedParts;
        var size = Math.Max(configured, (needed + MiB - 1) / MiB * MiB);
        return (int)Math.Min(size, S3StoreOptions.MaximumPartSize);
    }

    public async Task<string> InitiateMultipartAsync(string key, FinalObjectHeaders headers, CancellationToken cancellationToken)
    {
        var request = new InitiateMultipartUploadRequest { BucketName = Name, Key = key, ContentType = headers.ContentType };
        ApplyMetadata(headers, request.Metadata);
        var response = await Client.InitiateMultipartUploadAsync(request, cancellationToken);
        return response.UploadId;
    }

    /// <summary>Uploads <paramref name="length"/> bytes of a pooled array as a part, then returns the array to the pool.</summary>
    public async Task<CommittedPart> UploadPartAsync(string key, string uploadId, int number, byte[] array, int length, CancellationToken cancellationToken)
    {
        try
        {
            using var body = new MemoryStream(array, 0, length, writable: false);
            var request = new UploadPartRequest
            {
                BucketName = Name,
                Key = key,
                UploadId = uploadId,
                PartNumber = number,
                InputStream = body,
                PartSize = length,
                DisablePayloadSigning = UnsignedPayload,
                UseChunkEncoding = false,
            };
            var response = await Client.UploadPartAsync(request, cancellationToken);
            return new CommittedPart(number, response.ETag, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    public async Task<CommittedPart> CopyPartAsync(string key, string uploadId, int number, string sourceKey, long first, long last, CancellationToken cancellationToken)
    {
        var response = await Client.CopyPartAsync(
            new CopyPartRequest
            {
                SourceBucket = Name,
                SourceKey = sourceKey,
                DestinationBucket = Name,
                DestinationKey = key,
                UploadId = uploadId,
                PartNumber = number,
                FirstByte = first,
                LastByte = last,
            },
            cancellationToken);
        return new CommittedPart(number, response.ETag, last - first + 1);
    }

    public Task CompleteMultipartAsync(string key, string uploadId, IEnumerable<CommittedPart> parts, CancellationToken cancellationToken) =>
        Client.CompleteMultipartUploadAsync(
            new CompleteMultipartUploadRequest
            {
                BucketName = Name,
                Key = key,
                UploadId = uploadId,
                PartETags = [.. parts.OrderBy(p => p.Number).Select(p => new PartETag(p.Number, p.ETag))],
            },
            cancellationToken);

    /// <summary>Server-side copy to a final object, with that object's own headers.</summary>
    public async Task CopyAsync(string sourceKey, string key, FinalObjectHeaders headers, CancellationToken cancellationToken)
    {
        var request = new CopyObjectRequest
        {
            SourceBucket = Name,
            SourceKey = sourceKey,
            DestinationBucket = Name,
            DestinationKey = key,
            ContentType = headers.ContentType,
            MetadataDirective = S3MetadataDirective.REPLACE,
        };
        ApplyMetadata(headers, request.Metadata);
        await Client.CopyObjectAsync(request, cancellationToken);
    }

    /// <summary>Aborts a multipart upload; one that no longer exists is fine.</summary>
    public async Task AbortMultipartAsync(string key, string uploadId, CancellationToken cancellationToken)
    {
        try
        {
            await Client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Name, Key = key, UploadId = uploadId }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (S3Errors.IsNotFound(e))
        {
        }
    }

    public async Task PutAsync(string key, ArraySegment<byte> bytes, FinalObjectHeaders? headers, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(bytes.Array ?? [], bytes.Offset, bytes.Count, writable: false);
        var request = new PutObjectRequest
        {
            BucketName = Name,
            Key = key,
            InputStream = body,
            DisablePayloadSigning = UnsignedPayload,
            UseChunkEncoding = false,
            ContentType = headers?.ContentType ?? "application/octet-stream",
        };
        ApplyMetadata(headers, request.Metadata);
        await Client.PutObjectAsync(request, cancellationToken);
    }

    /// <summary>Appends a whole object of <paramref name="size"/> bytes to <paramref name="buffer"/>, streamed.</summary>
    public async Task ReadIntoAsync(string key, long size, PartBuffer buffer, CancellationToken cancellationToken)
    {
        await ReadExactlyAsync(key, null, buffer.Reserve(checked((int)size)), cancellationToken);
        buffer.Advance((int)size);
    }

    /// <summary>Appends <paramref name="size"/> bytes of an object from <paramref name="offset"/> to <paramref name="buffer"/>, streamed.</summary>
    public async Task ReadRangeIntoAsync(string key, long offset, long size, PartBuffer buffer, CancellationToken cancellationToken)
    {
        if (size > 0)
        {
            await ReadExactlyAsync(key, offset, buffer.Reserve(checked((int)size)), cancellationToken);
            buffer.Advance((int)size);
        }
    }

    /// <summary>
    /// Fills <paramref name="target"/> with an object's bytes from <paramref name="offset"/>, or with the
    /// whole object when the offset is null (which must then be exactly as long as the target).
    /// </summary>
    public async Task ReadExactlyAsync(string key, long? offset, Memory<byte> target, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = Name, Key = key };
        if (offset is { } first)
        {
            request.ByteRange = new ByteRange(first, first + target.Length - 1);
        }

        using var response = await Client.GetObjectAsync(request, cancellationToken);
        if (response.ContentLength != target.Length)
        {
            throw new InvalidDataException($"Object {key} should hold {target.Length} bytes from {offset ?? 0} but holds {response.ContentLength}.");
        }

        await using var body = response.ResponseStream;
        await body.ReadExactlyAsync(target, cancellationToken);
    }

    public async Task<long?> GetSizeAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var metadata = await Client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Name, Key = key }, cancellationToken);
            return metadata.ContentLength;
        }
        catch (AmazonS3Exception e) when (S3Errors.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>Deletes objects; ones already gone are fine (S3 deletes are idempotent).</summary>
    public async Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 1)
        {
            await Client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Name, Key = keys.First() }, cancellationToken);
            return;
        }

        foreach (var batch in keys.Chunk(1000))
        {
            var response = await Client.DeleteObjectsAsync(
                new DeleteObjectsRequest { BucketName = Name, Objects = [.. batch.Select(k => new KeyVersion { Key = k })], Quiet = true },
                cancellationToken);
            if (response.DeleteErrors is { Count: > 0 } errors)
            {
                throw new IOException($"Could not delete {errors.Count} objects, e.g. {errors[0].Key}: {errors[0].Code}.");
            }
        }
    }

    // An empty ServiceUrl is AWS itself, always reached over https.
    private static bool IsHttps(string? serviceUrl) =>
        string.IsNullOrEmpty(serviceUrl) || serviceUrl.StartsWith("https:", StringComparison.OrdinalIgnoreCase);

    private static void ApplyMetadata(FinalObjectHeaders? headers, MetadataCollection target)
    {
        foreach (var (key, value) in headers?.Metadata ?? [])
        {
            target.Add(key, value);
        }
    }
}
