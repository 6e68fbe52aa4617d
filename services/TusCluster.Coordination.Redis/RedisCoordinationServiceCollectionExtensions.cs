using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.Coordination.Redis.Resp;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Redis;

public static class RedisCoordinationServiceCollectionExtensions
{
    public static IServiceCollection AddRedisCoordination(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisCoordinationOptions>().Bind(configuration.GetSection(RedisCoordinationOptions.SectionName))
            .Validate(o => RedisEndpoint.TryParse(o.Endpoint, out _), "Tus:Coordination:Redis:Endpoint must be host:port (for example 127.0.0.1:6379 or [::1]:6379).")
            .Validate(o => o.Database >= 0, "Tus:Coordination:Redis:Database must be 0 or more.")
            .Validate(o => o.KeyPrefix is not null && !o.KeyPrefix.Contains('{', StringComparison.Ordinal) && !o.KeyPrefix.Contains('}', StringComparison.Ordinal),
                "Tus:Coordination:Redis:KeyPrefix must not contain braces (the upload id is the keys' hash tag).")
            .Validate(o => o.LeaseTtl >= TimeSpan.FromMilliseconds(300), "Tus:Coordination:Redis:LeaseTtl must be at least 00:00:00.300.")
            .Validate(o => o.ConnectTimeout > TimeSpan.Zero, "Tus:Coordination:Redis:ConnectTimeout must be positive.")
            .Validate(o => o.CommandTimeout > TimeSpan.Zero && o.CommandTimeout < o.LeaseTtl,
                "Tus:Coordination:Redis:CommandTimeout must be positive and shorter than Tus:Coordination:Redis:LeaseTtl.")
            .Validate(o => o.PoolSize is >= 1 and <= 64, "Tus:Coordination:Redis:PoolSize must be between 1 and 64.")
            .Validate(o => string.IsNullOrEmpty(o.User) || !string.IsNullOrEmpty(o.Password), "Tus:Coordination:Redis:User needs Tus:Coordination:Redis:Password.")
            .ValidateOnStart();
        services.AddSingleton<RedisUploadCoordination>();
        services.AddSingleton<IUploadCoordination>(provider => provider.GetRequiredService<RedisUploadCoordination>());
        return services;
    }
}
