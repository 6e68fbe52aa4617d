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
        services.AddSingleton<IUploadCoordination, EmbeddedUploadCoordination>();
        return services;
    }
}
