using Microsoft.Extensions.DependencyInjection;

namespace TusCluster.Observability.Instrumentation;

/// <summary>
/// Wraps the registered implementation of a service. The original registration is kept as a keyed
/// service, so the container still creates and disposes the real backend.
/// </summary>
internal static class ServiceDecoration
{
    public static bool Decorate<TService>(IServiceCollection services, Func<TService, IServiceProvider, TService> decorate)
        where TService : class
    {
        var index = -1;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(TService) && !services[i].IsKeyedService)
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            return false;
        }

        var original = services[index];
        var key = "decorated:" + typeof(TService).FullName;
        services.Add(original switch
        {
            { ImplementationInstance: { } instance } => ServiceDescriptor.KeyedSingleton(typeof(TService), key, instance),
            { ImplementationFactory: { } factory } => new ServiceDescriptor(typeof(TService), key, (provider, _) => factory(provider), original.Lifetime),
            _ => new ServiceDescriptor(typeof(TService), key, original.ImplementationType!, original.Lifetime),
        });
        services[index] = new ServiceDescriptor(
            typeof(TService),
            provider => decorate(provider.GetRequiredKeyedService<TService>(key), provider),
            original.Lifetime);
        return true;
    }
}
