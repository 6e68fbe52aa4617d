using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Storage;
using TusCluster.S3Client;

namespace TusCluster.Storage.S3;

/// <summary>
/// With <c>CreateBucket</c>: creates the bucket at start when it does not exist yet; an S3 that cannot be
/// reached at start is tried again in the background (<see cref="StoreStartupTask"/>).
/// </summary>
internal sealed class BucketInitializer(S3Bucket bucket, IOptions<S3StoreOptions> options, ILogger<BucketInitializer> logger) : StoreStartupTask(logger)
{
    protected override bool Enabled => options.Value.CreateBucket;

    protected override string What => $"make sure bucket {bucket.Name} exists";

    protected override Task RunOnceAsync(CancellationToken cancellationToken) =>
        S3Errors.GuardAsync("create bucket " + bucket.Name, () => EnsureBucketAsync(cancellationToken), cancellationToken).AsTask();

    internal Task EnsureBucketAsync(CancellationToken cancellationToken) =>
        S3BucketCreation.EnsureExistsAsync(bucket.Client, bucket.Name, cancellationToken);
}
