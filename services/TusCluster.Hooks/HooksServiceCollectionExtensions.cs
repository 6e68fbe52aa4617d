using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TusCluster.Hooks.Amqp;
using TusCluster.Hooks.Delivery;
using TusCluster.Hooks.File;
using TusCluster.Hooks.Grpc;
using TusCluster.Hooks.Http;
using TusCluster.Hooks.Sinks;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks;

public static class HooksServiceCollectionExtensions
{
    /// <summary>
    /// Adds the hooks configured under <c>Tus:Hooks</c> (any of Http, Grpc, File, Amqp) as the engine's
    /// <see cref="IUploadHooks"/>, with immediate delivery of committed events and the delivery leader.
    /// With no transport configured nothing is raised.
    /// </summary>
    public static IServiceCollection AddTusHooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HooksOptions>().Bind(configuration.GetSection(HooksOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HooksOptions>, HooksOptionsValidator>();
        services.AddSingleton<IValidateOptions<HooksOptions>, HookSinksValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HookSinks>();
        services.AddSingleton<HookMetrics>();
        services.AddSingleton<CrashAfterCommit>();
        services.AddSingleton<EventDelivery>();
        services.AddSingleton<DeliveryQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryQueue>());
        services.AddHostedService<OutboxRedelivery>();
        services.AddHttpHooks(configuration);
        services.AddGrpcHooks(configuration);
        services.AddFileHooks(configuration);
        services.AddAmqpHooks(configuration);
        services.Replace(ServiceDescriptor.Singleton<IUploadHooks, HookDispatcher>());
        return services;
    }
}
