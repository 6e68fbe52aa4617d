using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace TusCluster.S3Client;

/// <summary>Creates a bucket unless it exists; safe when several replicas start at once.</summary>
public static class S3BucketCreation
{
    /// <exception cref="AmazonS3Exception">S3 refused (other than the bucket being there already).</exception>
    public static async Task EnsureExistsAsync(IAmazonS3 client, string bucket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            await client.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }, cancellationToken);
            return;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound || e.ErrorCode is "NoSuchBucket" or "NotFound")
        {
        }

        try
        {
            await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou")
        {
            // Created meanwhile by another replica.
        }
    }
}
