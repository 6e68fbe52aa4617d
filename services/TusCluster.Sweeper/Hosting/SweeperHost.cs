using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using TusCluster.Backends;
using TusCluster.Observability;
using TusCluster.Protocol;
using TusCluster.Sweeping;

namespace TusCluster.Sweeper.Hosting;

/// <summary>Builds and runs the sweeper host. Tests build it the same way, with their own arguments.</summary>
public static class SweeperHost
{
    public static Task<int> RunAsync(string[] args) => StartupError.RunAsync(() => Build(args));

    /// <param name="args">Command-line arguments, e.g. --Tus:Coordination:Provider=Redis.</param>
    /// <param name="configureServices">Last say over the services (tests).</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var configuration = builder.Configuration;

        // Embedded coordination keeps its locks inside the upload service's process: a sweeper in
        // another process could delete an upload a request is writing. That service sweeps in-process.
        if (BackendOptions.IsProvider(BackendOptions.CoordinationProvider(configuration), "Embedded"))
        {
            throw new ConfigurationException(
                $"{BackendOptions.CoordinationProviderKey} is Embedded: its locks live inside the upload service, which then sweeps in-process "
                + $"({SweeperOptions.SectionName}:Enabled). The sweeper host needs a shared backend: "
                + string.Join(", ", BackendOptions.CoordinationProviders.Where(p => !BackendOptions.IsProvider(p, "Embedded"))) + ".");
        }

        builder.Services.AddOptions<SweeperServerOptions>().Bind(configuration.GetSection(SweeperServerOptions.SectionName));
        builder.Services.AddTusProtocol(configuration);
        BackendSelection.AddBackends(builder.Services, configuration);
        builder.Services.AddTusSweeper(configuration);
        builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>("backends", tags: ["ready"]);
        configureServices?.Invoke(builder.Services);

        if (string.IsNullOrEmpty(configuration["urls"]))
        {
            var server = configuration.GetSection(SweeperServerOptions.SectionName).Get<SweeperServerOptions>() ?? new SweeperServerOptions();
            builder.WebHost.UseUrls(server.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        builder.AddTusObservability("tuscluster-sweeper");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        var app = builder.Build();

        // Every options class is checked before any is used, so one run names every bad value.
        app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        app.UseTusObservability();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
