using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace TusCluster.Storage.Azure;

/// <summary>The container client from a connection string, or from an account URL and the default Azure credential chain.</summary>
internal static class AzureClientFactory
{
    public static BlobContainerClient Create(AzureStoreOptions options)
    {
        var clientOptions = new BlobClientOptions();

        // Few, quick retries: a request that still fails is answered 503 with Retry-After, and the client retries.
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = 3;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(200);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(2);

        var service = string.IsNullOrEmpty(options.ConnectionString)
            ? new BlobServiceClient(new Uri(options.AccountUrl!), new DefaultAzureCredential(), clientOptions)
            : new BlobServiceClient(options.ConnectionString, clientOptions);
        return service.GetBlobContainerClient(options.Container);
    }
}
