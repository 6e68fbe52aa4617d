using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace TusCluster.Storage.S3.Tests;

/// <summary>
/// A real S3 client that, just before each CompleteMultipartUpload, asks the server (ListParts) which parts
/// the multipart upload holds: a completed object no longer tells its part sizes on Ceph RGW.
/// </summary>
internal sealed class PartListingS3Client(AWSCredentials credentials, AmazonS3Config config) : AmazonS3Client(credentials, config)
{
    /// <summary>Sizes of the parts of the last multipart upload completed, by part number.</summary>
    public List<long> CompletedPartSizes { get; } = [];

    public override async Task<CompleteMultipartUploadResponse> CompleteMultipartUploadAsync(CompleteMultipartUploadRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parts = await ListPartsAsync(new ListPartsRequest { BucketName = request.BucketName, Key = request.Key, UploadId = request.UploadId }, cancellationToken);
        CompletedPartSizes.Clear();
        CompletedPartSizes.AddRange((parts.Parts ?? []).OrderBy(p => p.PartNumber).Select(p => p.Size ?? 0));
        return await base.CompleteMultipartUploadAsync(request, cancellationToken);
    }
}
