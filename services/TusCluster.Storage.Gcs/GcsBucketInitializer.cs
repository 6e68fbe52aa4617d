using System.Net;
using Google;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Gcs;

/// <summary>
/// With <c>CreateBucket</c>: creates the bucket (in <c>ProjectId</c>) at start when it does not exist yet;
/// a GCS that cannot be reached at start is tried again in the background (<see cref="StoreStartupTask"/>).
/// </summary>
internal sealed class GcsBucketInitializer(GcsBucket bucket, IOptions<GcsStoreOptions> options, ILogger<GcsBucketInitializer> logger) : StoreStartupTask(logger)
{
    protected override bool Enabled => options.Value.CreateBucket;

    protected override string What => $"make sure bucket {bucket.Name} exists";

    protected override Task RunOnceAsync(CancellationToken cancellationToken) =>
        GcsErrors.GuardAsync("create bucket " + bucket.Name, () => EnsureBucketAsync(cancellationToken), cancellationToken).AsTask();

    internal async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        try
        {
            await bucket.Client.GetBucketAsync(bucket.Name, null, cancellationToken);
            return;
        }
        catch (GoogleApiException e) when (GcsErrors.IsNotFound(e))
        {
        }

        try
        {
            await bucket.Client.CreateBucketAsync(options.Value.ProjectId, bucket.Name, null, cancellationToken);
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.Conflict)
        {
            // Created meanwhile by another replica.
        }
    }
}
