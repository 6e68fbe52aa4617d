using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.S3;

public static class S3CoordinationServiceCollectionExtensions
{
    public static IServiceCollection AddS3Coordination(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<S3CoordinationOptions>().Bind(configuration.GetSection(S3CoordinationOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<S3CoordinationOptions>, S3CoordinationOptionsValidator>();

        // One instance behind both interfaces: its leases and its client live in it.
        services.AddSingleton<S3UploadCoordination>();
        services.AddSingleton<IUploadCoordination>(provider => provider.GetRequiredService<S3UploadCoordination>());
        services.AddSingleton<IEventOutbox>(provider => provider.GetRequiredService<S3UploadCoordination>());
        return services;
    }
}
