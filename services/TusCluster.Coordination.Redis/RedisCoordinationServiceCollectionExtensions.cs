using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Coordination.Redis.Connection;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Redis;

public static class RedisCoordinationServiceCollectionExtensions
{
    public static IServiceCollection AddRedisCoordination(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisCoordinationOptions>().Bind(configuration.GetSection(RedisCoordinationOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RedisCoordinationOptions>, RedisCoordinationOptionsValidator>();
        // One instance behind both interfaces: one multiplexer per process.
        services.AddSingleton<RedisUploadCoordination>();
        services.AddSingleton<IUploadCoordination>(provider => provider.GetRequiredService<RedisUploadCoordination>());
        services.AddSingleton<IEventOutbox>(provider => provider.GetRequiredService<RedisUploadCoordination>());
        services.AddHostedService<RedisServerCheck>();
        return services;
    }
}
