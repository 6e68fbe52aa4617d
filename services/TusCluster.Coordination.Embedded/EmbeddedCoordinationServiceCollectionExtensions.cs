using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Embedded;

public static class EmbeddedCoordinationServiceCollectionExtensions
{
    public static IServiceCollection AddEmbeddedCoordination(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmbeddedCoordinationOptions>().Bind(configuration.GetSection(EmbeddedCoordinationOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmbeddedCoordinationOptions>, EmbeddedCoordinationOptionsValidator>();
        // One instance behind both interfaces: its leases live in memory.
        services.AddSingleton<EmbeddedUploadCoordination>();
        services.AddSingleton<IUploadCoordination>(sp => sp.GetRequiredService<EmbeddedUploadCoordination>());
        services.AddSingleton<IEventOutbox>(sp => sp.GetRequiredService<EmbeddedUploadCoordination>());
        return services;
    }
}
