using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Hooks.Sinks;

namespace TusCluster.Hooks.Http;

internal static class HttpHooksServiceCollectionExtensions
{
    /// <summary>Adds the HTTP hook sink when <c>Tus:Hooks:Http:Url</c> is set; its settings are validated at start.</summary>
    public static IServiceCollection AddHttpHooks(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(HttpHookOptions.SectionName);
        if (string.IsNullOrWhiteSpace(section[nameof(HttpHookOptions.Url)]))
        {
            return services;
        }

        services.AddOptions<HttpHookOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HttpHookOptions>, HttpHookOptionsValidator>();
        services.AddHttpClient(HttpHookSink.ClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A redirected POST would become a GET and lose the event; a 3xx is a failed invocation instead.
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            })
            // The secret and forwarded credentials must never reach a log.
            .RedactLoggedHeaders(_ => true);
        services.AddSingleton<IHookSink>(provider => ActivatorUtilities.CreateInstance<HttpHookSink>(provider));
        return services;
    }
}
