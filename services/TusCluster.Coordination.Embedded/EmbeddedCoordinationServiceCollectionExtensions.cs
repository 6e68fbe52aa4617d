using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Embedded;

public static class EmbeddedCoordinationServiceCollectionExtensions
{
    public static IServiceCollection AddEmbeddedCoordination(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmbeddedCoordinationOptions>().Bind(configuration.GetSection(EmbeddedCoordinationOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Directory), "Tus:Coordination:Embedded:Directory must name a directory.")
            .ValidateOnStart();
        services.AddSingleton<IUploadCoordination, EmbeddedUploadCoordination>();
        return services;
    }
}
