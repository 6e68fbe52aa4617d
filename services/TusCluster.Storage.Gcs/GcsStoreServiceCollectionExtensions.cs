using Google.Cloud.Storage.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Gcs;

public static class GcsStoreServiceCollectionExtensions
{
    public static IServiceCollection AddGcsUploadStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GcsStoreOptions>().Bind(configuration.GetSection(GcsStoreOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GcsStoreOptions>, GcsStoreOptionsValidator>();
        services.AddSingleton(provider => GcsClientFactory.Create(provider.GetRequiredService<IOptions<GcsStoreOptions>>().Value));
        services.AddSingleton<GcsBucket>();
        services.AddSingleton<GcsUploadStore>();
        services.AddSingleton<IUploadStore>(provider => provider.GetRequiredService<GcsUploadStore>());
        services.AddSingleton<IUploadInventory, GcsUploadInventory>();
        services.AddHostedService<GcsBucketInitializer>();
        return services;
    }
}
