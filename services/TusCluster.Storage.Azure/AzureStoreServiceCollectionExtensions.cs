using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Azure;

public static class AzureStoreServiceCollectionExtensions
{
    public static IServiceCollection AddAzureUploadStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AzureStoreOptions>().Bind(configuration.GetSection(AzureStoreOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AzureStoreOptions>, AzureStoreOptionsValidator>();
        services.AddSingleton(provider => AzureClientFactory.Create(provider.GetRequiredService<IOptions<AzureStoreOptions>>().Value));
        services.AddSingleton<AzureContainer>();
        services.AddSingleton<AzureUploadStore>();
        services.AddSingleton<IUploadStore>(provider => provider.GetRequiredService<AzureUploadStore>());
        services.AddSingleton<IUploadInventory, AzureUploadInventory>();
        services.AddHostedService<ContainerInitializer>();
        return services;
    }
}
