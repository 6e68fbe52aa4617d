using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.DynamoDb;

public static class DynamoDbCoordinationServiceCollectionExtensions
{
    public static IServiceCollection AddDynamoDbCoordination(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DynamoDbCoordinationOptions>().Bind(configuration.GetSection(DynamoDbCoordinationOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DynamoDbCoordinationOptions>, DynamoDbCoordinationOptionsValidator>();
        // One instance behind both interfaces: its leases and its client live in it.
        services.AddSingleton<DynamoDbUploadCoordination>();
        services.AddSingleton<IUploadCoordination>(provider => provider.GetRequiredService<DynamoDbUploadCoordination>());
        services.AddSingleton<IEventOutbox>(provider => provider.GetRequiredService<DynamoDbUploadCoordination>());
        services.AddHostedService<DynamoDbTableInitializer>();
        return services;
    }

}
