using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.PostgreSql;

public static class PostgresCoordinationServiceCollectionExtensions
{
    public static IServiceCollection AddPostgreSqlCoordination(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PostgresCoordinationOptions>().Bind(configuration.GetSection(PostgresCoordinationOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PostgresCoordinationOptions>, PostgresCoordinationOptionsValidator>();
        // One instance behind both interfaces: one pool and one listening connection per process.
        services.AddSingleton<PostgresUploadCoordination>();
        services.AddSingleton<IUploadCoordination>(provider => provider.GetRequiredService<PostgresUploadCoordination>());
        services.AddSingleton<IEventOutbox>(provider => provider.GetRequiredService<PostgresUploadCoordination>());
        services.AddHostedService<PostgresSchemaCheck>();
        return services;
    }
}
