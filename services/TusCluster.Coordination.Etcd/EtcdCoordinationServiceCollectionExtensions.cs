using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Etcd;

public static class EtcdCoordinationServiceCollectionExtensions
{
    public static IServiceCollection AddEtcdCoordination(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EtcdCoordinationOptions>().Bind(configuration.GetSection(EtcdCoordinationOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EtcdCoordinationOptions>, EtcdCoordinationOptionsValidator>();
        services.AddSingleton<EtcdUploadCoordination>();
        services.AddSingleton<IUploadCoordination>(provider => provider.GetRequiredService<EtcdUploadCoordination>());
        services.AddSingleton<IEventOutbox>(provider => provider.GetRequiredService<EtcdUploadCoordination>());
        services.AddHostedService<EtcdWarmUp>();
        return services;
    }
}
