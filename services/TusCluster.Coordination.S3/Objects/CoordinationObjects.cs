using Amazon.S3;
using Amazon.S3.Model;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.S3;

/// <summary>
/// The few object operations the backend is made of: read a document with its ETag, write it only if the ETag
/// is still the one read (or only if it does not exist yet), and put, delete and list small marker keys.
/// </summary>
internal sealed class CoordinationObjects(IAmazonS3 client, string bucket, S3Calls calls)
{
    /// <summary>The largest document read: a record and <see cref="UploadDocument.MaxEvents"/> events of the largest payload, with room.</summary>
    private const long MaxDocumentBytes = 8L * 1024 * 1024;

    public async Task<(UploadDocument? Document, string? ETag)> ReadAsync(string uploadId, string key, CancellationToken cancellationToken) =>
        await calls.RetriedAsync("a read", async token =>
        {
            try
            {
                using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, token);
                if (response.ContentLength > MaxDocumentBytes)
                {
                    throw new CoordinationUnavailableException($"The S3 document of upload {uploadId} has {response.ContentLength} bytes, more than {MaxDocumentBytes}.");
                }

                using var body = new MemoryStream((int)response.ContentLength);
                await response.ResponseStream.CopyToAsync(body, token);
                return ((UploadDocument?)UploadDocumentJson.Deserialize(uploadId, body.GetBuffer().AsSpan(0, (int)body.Length)), (string?)response.ETag);
            }
            catch (AmazonS3Exception e) when (S3Calls.IsNotFound(e))
            {
                return (null, null);
            }
        }, cancellationToken);

    /// <summary>
    /// Stores <paramref name="document"/> if the object still has <paramref name="etag"/> (or, for null, does not exist).
    /// Returns the new ETag, or null when someone else wrote first (nothing was written).
    /// </summary>
    public Task<string?> WriteAsync(string key, UploadDocument document, string? etag) =>
        calls.OnceAsync("a conditional write", async token =>
        {
            var request = new PutObjectRequest
            {
                BucketName = bucket,
                Key = key,
                InputStream = new MemoryStream(UploadDocumentJson.Serialize(document)),
                ContentType = "application/json",
            };
            if (etag is null)
            {
                request.IfNoneMatch = "*";
            }
            else
            {
                // Ceph RGW matches If-Match against the bare ETag and refuses the quoted form (measured with AWSSDK.S3 4.0.104.9).
                request.IfMatch = etag.Trim('"');
            }

            try
            {
                return (await client.PutObjectAsync(request, token)).ETag;
            }
            catch (AmazonS3Exception e) when (S3Calls.IsPreconditionFailed(e))
            {
                return null;
            }
        });

    /// <summary>
    /// <see cref="WriteAsync"/> for a writer that reads the document again whenever it loses and re-applies its change
    /// (a lease holder, a deliverer): RGW's 500 to a loser of a race on one key then counts as lost, like a 412. It
    /// answered, so the PUT is over; had it been applied after all, the next read shows it and the change re-applied
    /// stores the same thing. Any other failure stays a 503 with an unknown outcome.
    /// </summary>
    public async Task<string?> WriteOrLoseAsync(string key, UploadDocument document, string? etag)
    {
        try
        {
            return await WriteAsync(key, document, etag);
        }
        catch (CoordinationUnavailableException e) when (S3Calls.IsRacedWrite(e))
        {
            return null;
        }
    }

    public Task PutMarkerAsync(string key, CancellationToken cancellationToken) =>
        calls.RetriedAsync("a marker write", token => client.PutObjectAsync(
            new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = string.Empty }, token), cancellationToken);

    /// <summary>Writes <paramref name="text"/> as it is (an unreadable event kept for an operator).</summary>
    public Task PutTextAsync(string key, string text, CancellationToken cancellationToken) =>
        calls.RetriedAsync("a write", token => client.PutObjectAsync(
            new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = text, ContentType = "application/json" }, token), cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        calls.RetriedAsync("a deletion", token => client.DeleteObjectAsync(
            new DeleteObjectRequest { BucketName = bucket, Key = key }, token), cancellationToken);

    /// <summary>One page of keys under <paramref name="prefix"/>, in key order, after <paramref name="startAfter"/>.</summary>
    public Task<ListObjectsV2Response> ListAsync(string prefix, string? startAfter, int maxKeys, CancellationToken cancellationToken) =>
        calls.RetriedAsync("a listing", token => client.ListObjectsV2Async(
            new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, StartAfter = startAfter, MaxKeys = maxKeys }, token), cancellationToken);

    /// <summary>Every key under <paramref name="prefix"/>, page by page.</summary>
    public async IAsyncEnumerable<S3Object> ListAllAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            var page = await ListAsync(prefix, after, 1000, cancellationToken);
            foreach (var item in page.S3Objects ?? [])
            {
                yield return item;
            }

            if (page.IsTruncated != true || page.S3Objects is not { Count: > 0 } objects)
            {
                yield break;
            }

            after = objects[^1].Key;
        }
    }
}
