using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TusCluster.Sweeping;

public static class SweeperServiceCollectionExtensions
{
    /// <summary>
    /// Adds the sweeper as a hosted service, bound to <c>Tus:Sweeper</c> and validated at start. A store,
    /// a coordination backend and the protocol options (<c>AddTusProtocol</c>) must be registered too;
    /// an <see cref="Protocol.Storage.IUploadInventory"/>, when registered, enables orphan reclaim.
    /// </summary>
    public static IServiceCollection AddTusSweeper(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSweeperServices(configuration);
        services.AddHostedService<SweeperService>();
        return services;
    }

    /// <summary>Everything but the hosted service (tests and the benchmark run passes themselves).</summary>
    internal static IServiceCollection AddSweeperServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SweeperOptions>().Bind(configuration.GetSection(SweeperOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SweeperOptions>, SweeperOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<SweeperMetrics>();
        services.TryAddSingleton<UploadReclaimer>();
        services.TryAddSingleton<SweepPass>();
        services.TryAddSingleton<OrphanSweep>();
        return services;
    }
}
