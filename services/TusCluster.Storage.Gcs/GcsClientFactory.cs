using Google.Apis.Auth.OAuth2;
using Google.Cloud.Storage.V1;

namespace TusCluster.Storage.Gcs;

/// <summary>The one <see cref="StorageClient"/> of a process, from the store's options.</summary>
internal static class GcsClientFactory
{
    public static StorageClient Create(GcsStoreOptions options)
    {
        var builder = new StorageClientBuilder();
        if (!string.IsNullOrEmpty(options.Endpoint))
        {
            // The JSON API lives under storage/v1/; uploads and downloads are derived from the same root.
            builder.BaseUri = new Uri(new Uri(options.Endpoint.TrimEnd('/') + "/"), "storage/v1/").ToString();
        }

        if (options.NoAuthentication)
        {
            builder.UnauthenticatedAccess = true;
        }
        else if (!string.IsNullOrEmpty(options.CredentialsFile))
        {
            // Only a service account key: loading "any" credential type from a file lets a crafted file
            // point the process at an attacker's token endpoint (Google's advisory on CredentialsPath).
            builder.GoogleCredential = CredentialFactory.FromFile<ServiceAccountCredential>(options.CredentialsFile).ToGoogleCredential();
        }

        return builder.Build();
    }
}
