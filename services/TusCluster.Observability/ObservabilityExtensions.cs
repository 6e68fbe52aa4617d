using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using TusCluster.Observability.ErrorReporting;
using TusCluster.Observability.Instrumentation;
using TusCluster.Observability.Logging;
using TusCluster.Observability.Metrics;
using TusCluster.Observability.Options;
using TusCluster.Observability.Telemetry;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Telemetry;

namespace TusCluster.Observability;

/// <summary>Wires metrics, traces, logs and error reporting into a host (upload service, sweeper).</summary>
public static class ObservabilityExtensions
{
    private const string StorageProviderKey = "Tus:Storage:Provider";
    private const string CoordinationProviderKey = "Tus:Coordination:Provider";

    /// <summary>
    /// Call after the store and coordination backend are registered (they are decorated here) and
    /// after the listen addresses are set (a separate metrics port is added to them).
    /// </summary>
    /// <param name="defaultServiceName">service.name when Tus:Telemetry:ServiceName is not set.</param>
    public static WebApplicationBuilder AddTusObservability(this WebApplicationBuilder builder, string defaultServiceName)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.SectionName)).ValidateOnStart();
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.SectionName)).ValidateOnStart();
        services.AddOptions<LoggingOptions>().Bind(configuration.GetSection(LoggingOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetricsOptions>, ObservabilityOptionsValidator>();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, ObservabilityOptionsValidator>();

        var telemetry = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var identity = new ReplicaIdentity(
            string.IsNullOrWhiteSpace(telemetry.ServiceName) ? defaultServiceName : telemetry.ServiceName,
            string.IsNullOrWhiteSpace(telemetry.ReplicaName) ? Environment.MachineName : telemetry.ReplicaName);
        services.AddSingleton(identity);
        ErrorReportingSetup.Add(builder, identity);

        var logging = configuration.GetSection(LoggingOptions.SectionName).Get<LoggingOptions>() ?? new LoggingOptions();
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (logging.Format == LogFormat.Json)
        {
            builder.Logging.AddConsoleFormatter<JsonLogFormatter, ConsoleFormatterOptions>();
            services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = JsonLogFormatter.FormatterName);
        }

        var metrics = configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>() ?? new MetricsOptions();
        OpenTelemetryRegistration.Add(services, identity, telemetry, metrics);
        if (metrics.Enabled && metrics.Port is { } port and > 0 and <= 65535)
        {
            ExtraListener.Add(builder.WebHost, "http", port);
        }

        var storage = Label(configuration[StorageProviderKey] ?? "FileSystem");
        var coordination = Label(configuration[CoordinationProviderKey] ?? "Embedded");
        var backends = new BackendLabels(
            ServiceDecoration.Decorate<IUploadStore>(services, (inner, _) => new InstrumentedStore(inner, storage)) ? storage : null,
            ServiceDecoration.Decorate<IUploadCoordination>(services, (inner, _) => new InstrumentedCoordination(inner, coordination)) ? coordination : null);
        services.AddSingleton(backends);
        return builder;
    }

    /// <summary>Serves the metrics endpoint and reports 500 answers to Sentry. Call early in the pipeline, before the tus engine.</summary>
    public static WebApplication UseTusObservability(this WebApplication app)
    {
        // Created now, not when the host starts, so that it listens before the counters are published
        // at zero below and before the first request.
        _ = app.Services.GetService<MeterProvider>();
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (options.Enabled)
        {
            ScrapeEndpoint.Use(app, options);
        }

        app.Services.GetRequiredService<BackendLabels>().InitializeCounters();
        TusTelemetry.PublishZeros();
        ErrorReportingSetup.Use(app);

        return app;
    }

    private static string Label(string provider) => provider.ToLowerInvariant();
}
