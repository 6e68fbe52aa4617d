using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.Coordination.DynamoDb;
using TusCluster.Coordination.Embedded;
using TusCluster.Coordination.Etcd;
using TusCluster.Coordination.PostgreSql;
using TusCluster.Coordination.Redis;
using TusCluster.Coordination.S3;
using TusCluster.Storage.Azure;
using TusCluster.Storage.FileSystem;
using TusCluster.Storage.Gcs;
using TusCluster.Storage.S3;

namespace TusCluster.Backends;

/// <summary>Registers the store and coordination backend that configuration names.</summary>
public static class BackendSelection
{
    public static void AddBackends(IServiceCollection services, IConfiguration configuration)
    {
        var storage = BackendOptions.StorageProvider(configuration);
        switch (storage.ToUpperInvariant())
        {
            case "FILESYSTEM":
                services.AddFileSystemUploadStore(configuration);
                break;
            case "S3":
                services.AddS3UploadStore(configuration);
                break;
            case "GCS":
                services.AddGcsUploadStore(configuration);
                break;
            case "AZURE":
                services.AddAzureUploadStore(configuration);
                break;
            default:
                throw new ConfigurationException(
                    $"{BackendOptions.StorageProviderKey} is '{storage}'; supported: {string.Join(", ", BackendOptions.StorageProviders)}.");
        }

        var coordination = BackendOptions.CoordinationProvider(configuration);
        switch (coordination.ToUpperInvariant())
        {
            case "EMBEDDED":
                services.AddEmbeddedCoordination(configuration);
                break;
            case "ETCD":
                services.AddEtcdCoordination(configuration);
                break;
            case "REDIS":
                services.AddRedisCoordination(configuration);
                break;
            case "DYNAMODB":
                services.AddDynamoDbCoordination(configuration);
                break;
            case "POSTGRESQL":
                services.AddPostgreSqlCoordination(configuration);
                break;
            case "S3":
                services.AddS3Coordination(configuration);
                break;
            default:
                throw new ConfigurationException(
                    $"{BackendOptions.CoordinationProviderKey} is '{coordination}'; supported: {string.Join(", ", BackendOptions.CoordinationProviders)}.");
        }
    }
}
