using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Hooks.Sinks;

namespace TusCluster.Hooks.Grpc;

internal static class GrpcHooksServiceCollectionExtensions
{
    /// <summary>Adds the gRPC hook sink when <c>Tus:Hooks:Grpc:Address</c> is set; its settings are validated at start.</summary>
    public static IServiceCollection AddGrpcHooks(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(GrpcHookOptions.SectionName);
        if (string.IsNullOrWhiteSpace(section[nameof(GrpcHookOptions.Address)]))
        {
            return services;
        }

        services.AddOptions<GrpcHookOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GrpcHookOptions>, GrpcHookOptionsValidator>();
        services.AddSingleton<IHookSink, GrpcHookSink>();
        return services;
    }
}
