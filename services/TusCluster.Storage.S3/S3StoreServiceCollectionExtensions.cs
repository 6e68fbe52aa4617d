using Amazon.S3;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Storage;
using TusCluster.S3Client;

namespace TusCluster.Storage.S3;

public static class S3StoreServiceCollectionExtensions
{
    public static IServiceCollection AddS3UploadStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<S3StoreOptions>().Bind(configuration.GetSection(S3StoreOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<S3StoreOptions>, S3StoreOptionsValidator>();
        services.AddSingleton<IAmazonS3>(provider => S3ClientFactory.Create(provider.GetRequiredService<IOptions<S3StoreOptions>>().Value));
        services.AddSingleton<S3Bucket>();
        services.AddSingleton<S3UploadStore>();
        services.AddSingleton<IUploadStore>(provider => provider.GetRequiredService<S3UploadStore>());
        services.AddSingleton<IUploadInventory, S3UploadInventory>();
        services.AddHostedService<BucketInitializer>();
        return services;
    }
}
