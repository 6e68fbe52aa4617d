using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.Coordination.Redis.Connection;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Redis;

public static class RedisCoordinationServiceCollectionExtensions
{
    private const string Section = RedisCoordinationOptions.SectionName;

    public static IServiceCollection AddRedisCoordination(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisCoordinationOptions>().Bind(configuration.GetSection(Section))
            .Validate(o => string.IsNullOrWhiteSpace(o.Configuration) || (o.Endpoint is null && string.IsNullOrEmpty(o.User) && string.IsNullOrEmpty(o.Password) && o.Database == 0 && !o.UseTls),
                $"{Section}:Configuration replaces {Section}:Endpoint, User, Password, Database and UseTls: set only one of the two ways " +
                "(in the configuration string they are host:port entries and user=, password=, defaultDatabase=, ssl=true).")
            .Validate(o => string.IsNullOrWhiteSpace(o.Configuration) || RedisConnectionSettings.IsValidConfiguration(o.Configuration, out _),
                $"{Section}:Configuration must be a StackExchange.Redis configuration string with at least one endpoint (for example redis-a:26379,redis-b:26379,serviceName=mymaster).")
            .Validate(o => o.Endpoint is null || RedisEndpoint.TryParse(o.Endpoint, out _), $"{Section}:Endpoint must be host:port (for example 127.0.0.1:6379 or [::1]:6379).")
            .Validate(o => o.Database >= 0, $"{Section}:Database must be 0 or more.")
            .Validate(o => o.KeyPrefix is not null && !o.KeyPrefix.Contains('{', StringComparison.Ordinal) && !o.KeyPrefix.Contains('}', StringComparison.Ordinal),
                $"{Section}:KeyPrefix must not contain braces (the upload id is the keys' hash tag).")
            .Validate(o => o.LeaseTtl >= TimeSpan.FromMilliseconds(300), $"{Section}:LeaseTtl must be at least 00:00:00.300.")
            .Validate(o => o.ConnectTimeout > TimeSpan.Zero, $"{Section}:ConnectTimeout must be positive.")
            .Validate(o => o.CommandTimeout > TimeSpan.Zero && o.CommandTimeout < o.LeaseTtl,
                $"{Section}:CommandTimeout must be positive and shorter than {Section}:LeaseTtl.")
            .Validate(o => o.WaitForReplicas is >= 0 and <= 16, $"{Section}:WaitForReplicas must be between 0 (off) and 16.")
            .Validate(o => o.WaitForReplicas == 0 || (o.WaitTimeout > TimeSpan.Zero && o.WaitTimeout < o.CommandTimeout),
                $"{Section}:WaitTimeout must be positive and shorter than {Section}:CommandTimeout (the WAIT reply itself must arrive within it).")
            .Validate(o => string.IsNullOrEmpty(o.User) || !string.IsNullOrEmpty(o.Password), $"{Section}:User needs {Section}:Password.")
            .ValidateOnStart();
        services.AddSingleton<RedisUploadCoordination>();
        services.AddSingleton<IUploadCoordination>(provider => provider.GetRequiredService<RedisUploadCoordination>());
        services.AddHostedService<RedisServerCheck>();
        return services;
    }
}
