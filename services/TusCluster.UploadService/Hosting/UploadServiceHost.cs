using TusCluster.Backends;
using TusCluster.Hooks;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TusCluster.Protocol;
using TusCluster.Observability;
using TusCluster.Protocol.Headers;
using TusCluster.Sweeping;
using TusCluster.UploadService.Demo;
using TusCluster.UploadService.Health;
using TusCluster.UploadService.Https;

namespace TusCluster.UploadService.Hosting;

/// <summary>Builds and runs the upload service. Tests build it the same way, with their own arguments.</summary>
public static class UploadServiceHost
{
    public static Task<int> RunAsync(string[] args) => StartupError.RunAsync(() => Build(args));

    /// <param name="args">Command-line arguments, e.g. --urls or --Tus:MaxUploadSize=1000.</param>
    /// <param name="configureServices">Last say over the services; tests use it to replace the clock.</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        // Configuration files sit next to the binary; relative data paths resolve against the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var configuration = builder.Configuration;

        var server = configuration.GetSection(ServerOptions.SectionName).Get<ServerOptions>() ?? new ServerOptions();
        if (server.InlineScheduling)
        {
            // First, before anything can open a socket: the runtime reads its half of the switch only once.
            InlineSocketScheduling.Enable(builder.Services);
        }

        builder.Services.AddOptions<ServerOptions>().Bind(configuration.GetSection(ServerOptions.SectionName)).ValidateOnStart();
        builder.Services.AddOptions<CorsOptions>().Bind(configuration.GetSection(CorsOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<ServerOptions>, InlineSchedulingValidator>();
        builder.Services.AddSingleton<IValidateOptions<CorsOptions>, ServerOptionsValidator>();
        builder.Services.AddTusProtocol(configuration);
        builder.Services.AddTusHooks(configuration);
        BackendSelection.AddBackends(builder.Services, configuration);
        builder.Services.AddHostedService<ShutdownDrain>();
        if (SweeperOptions.RunsInUploadService(configuration))
        {
            // With embedded coordination no other process can sweep; elsewhere the sweeper host does.
            builder.Services.AddTusSweeper(configuration);
        }

        builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>("backends", tags: ["ready"]);
        builder.Services.AddCors();
        builder.Services.AddDemoPage(configuration);
        configureServices?.Invoke(builder.Services);

        if (string.IsNullOrEmpty(configuration["urls"]))
        {
            builder.WebHost.UseUrls(server.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        HttpsHosting.AddPemHttps(builder);

        if (ServerOptionsLimits.UsesLargeBlocks(server.ReceiveBlockSize))
        {
            // Registered after the host's defaults, so Kestrel's socket transport gets this factory.
            builder.Services.AddSingleton<Microsoft.AspNetCore.Connections.IMemoryPoolFactory<byte>>(
                new LargeBlockMemoryPoolFactory(server.ReceiveBlockSize, ServerOptionsLimits.RetainedReceiveBytes / server.ReceiveBlockSize));
        }

        builder.AddTusObservability("tuscluster-upload-service");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // Kestrel applies these while the app is being built and throws on a bad value; leave them
            // at Kestrel's defaults so that the start-up validation below reports every bad value at once.
            if (new ServerOptionsValidator().Validate(null, server).Failed)
            {
                return;
            }

            var limits = kestrel.Limits;
            limits.MaxConcurrentConnections = server.MaxConcurrentConnections;
            limits.MaxRequestBodySize = server.MaxRequestBodySize;
            limits.MaxRequestHeadersTotalSize = server.MaxRequestHeadersTotalSize;
            limits.KeepAliveTimeout = server.KeepAliveTimeout;
            limits.RequestHeadersTimeout = server.RequestHeadersTimeout;
            limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(server.MinRequestBodyDataRate, server.MinRequestBodyDataRateGracePeriod);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = server.DrainPeriod + server.CommitGracePeriod);

        var app = builder.Build();

        // Every options class is checked before any is used, so one run names every bad value.
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        var cors = app.Services.GetRequiredService<IOptions<CorsOptions>>().Value;
        if (cors.AllowedOrigins is { Length: > 0 } origins)
        {
            app.UseCors(policy =>
            {
                policy.WithMethods("POST", "HEAD", "PATCH", "DELETE", "GET", "OPTIONS")
                    .WithHeaders(TusHeaderNames.RequestHeaders)
                    .WithExposedHeaders(TusHeaderNames.ResponseHeaders)
                    .SetPreflightMaxAge(cors.PreflightMaxAge);
                _ = origins.Contains("*") ? policy.AllowAnyOrigin() : policy.WithOrigins(origins);
                if (cors.AllowCredentials)
                {
                    policy.AllowCredentials();
                }
            });
        }

        app.UseTusObservability();
        app.UseHttpMethodOverride();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.UseDemoPage();
        app.UseTus();
        return app;
    }
}
