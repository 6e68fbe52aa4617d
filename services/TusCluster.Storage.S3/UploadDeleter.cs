using Amazon.S3.Model;

namespace TusCluster.Storage.S3;

/// <summary>
/// Removes everything stored under one upload key: every multipart upload on it (including ones a
/// stale writer created but never committed) and every object (final and temporary). Listing is fine
/// here: deletion is rare, and what a listing misses now is found by the sweeper's orphan reclaim.
/// </summary>
internal sealed class UploadDeleter(S3Bucket bucket)
{
    public async Task DeleteAsync(string uploadKey, string? knownMultipartUploadId, CancellationToken cancellationToken)
    {
        if (knownMultipartUploadId is not null)
        {
            await bucket.AbortMultipartAsync(uploadKey, knownMultipartUploadId, cancellationToken);
        }

        await foreach (var upload in ListMultipartAsync(uploadKey, cancellationToken))
        {
            if (upload.Key == uploadKey && upload.UploadId != knownMultipartUploadId)
            {
                await bucket.AbortMultipartAsync(uploadKey, upload.UploadId, cancellationToken);
            }
        }

        var keys = new List<string>();
        await foreach (var found in ListObjectsAsync(uploadKey, cancellationToken))
        {
            keys.Add(found.Key);
        }

        if (keys.Count > 0)
        {
            await bucket.DeleteAsync(keys, cancellationToken);
        }
    }

    public async IAsyncEnumerable<MultipartUpload> ListMultipartAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListMultipartUploadsRequest { BucketName = bucket.Name, Prefix = prefix };
        while (true)
        {
            var page = await bucket.Client.ListMultipartUploadsAsync(request, cancellationToken);
            foreach (var upload in page.MultipartUploads ?? [])
            {
                yield return upload;
            }

            if (page.IsTruncated != true)
            {
                yield break;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }
    }

    public async IAsyncEnumerable<S3Object> ListObjectsAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = bucket.Name, Prefix = prefix };
        while (true)
        {
            var page = await bucket.Client.ListObjectsV2Async(request, cancellationToken);
            foreach (var found in page.S3Objects ?? [])
            {
                yield return found;
            }

            if (page.IsTruncated != true)
            {
                yield break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }
}
