using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Hooks.Sinks;

namespace TusCluster.Hooks.Amqp;

internal static class AmqpHookServiceCollectionExtensions
{
    /// <summary>
    /// Adds the AMQP sink (an <c>IHookSink</c>) when <c>Tus:Hooks:Amqp:Uri</c> is set, with its options validated at
    /// start (a blocking event in <c>Events</c> is refused there), and connects it in the background when the host
    /// starts. Without the URI it adds nothing.
    /// </summary>
    public static IServiceCollection AddAmqpHooks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(AmqpHookOptions.SectionName);
        if (string.IsNullOrWhiteSpace(section[nameof(AmqpHookOptions.Uri)]))
        {
            return services;
        }

        services.AddOptions<AmqpHookOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AmqpHookOptions>, AmqpHookOptionsValidator>();
        services.AddSingleton<AmqpHookSink>();
        services.AddSingleton<IHookSink>(provider => provider.GetRequiredService<AmqpHookSink>());
        services.AddHostedService<AmqpHookConnector>();
        return services;
    }
}
