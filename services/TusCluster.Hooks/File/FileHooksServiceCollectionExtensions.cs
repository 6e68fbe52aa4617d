using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Hooks.Sinks;

namespace TusCluster.Hooks.File;

internal static class FileHooksServiceCollectionExtensions
{
    /// <summary>Adds the file (executable) hook sink when <c>Tus:Hooks:File:Directory</c> is set; its settings are validated at start.</summary>
    public static IServiceCollection AddFileHooks(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(FileHookOptions.SectionName);
        if (string.IsNullOrWhiteSpace(section[nameof(FileHookOptions.Directory)]))
        {
            return services;
        }

        services.AddOptions<FileHookOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FileHookOptions>, FileHookOptionsValidator>();
        services.AddSingleton<IHookSink, FileHookSink>();
        return services;
    }
}
