using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TusCluster.Observability.Instrumentation;
using TusCluster.Observability.Options;
using TusCluster.Protocol.Telemetry;

namespace TusCluster.Observability.Tracing;

/// <summary>
/// The OpenTelemetry tracer and meter providers that export over OTLP, built with the SDK builders
/// (OpenTelemetry.Extensions.Hosting does not restore here). A hosted service so the host creates it
/// at start; the container disposes it when the host is disposed, after the server has drained, which
/// flushes the spans of the last requests.
/// </summary>
internal sealed class TelemetryExport : IHostedService, IDisposable
{
    /// <summary>Request spans come from ASP.NET Core itself; outgoing calls (etcd, S3) from HttpClient.</summary>
    public static readonly string[] Sources = [TusTelemetry.ActivitySourceName, CoordinationTelemetry.Name, StoreTelemetry.Name, "TusCluster.*", "Microsoft.AspNetCore", "System.Net.Http"];

    private readonly TracerProvider? _tracing;
    private readonly MeterProvider? _metrics;

    public TelemetryExport(IOptions<TelemetryOptions> options, ReplicaIdentity identity)
    {
        var settings = options.Value;
        if (settings.OtlpEndpoint is not { } endpoint)
        {
            return;
        }

        var resource = ResourceBuilder.CreateDefault().AddService(identity.ServiceName, serviceInstanceId: identity.ReplicaName);
        _tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(Sources)
            .AddOtlpExporter(o => Configure(o, settings, endpoint, "v1/traces"))
            .Build();
        _metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter("TusCluster.*", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime")
            .AddOtlpExporter(o => Configure(o, settings, endpoint, "v1/metrics"))
            .Build();
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _tracing?.Dispose();
        _metrics?.Dispose();
    }

    private static void Configure(OtlpExporterOptions exporter, TelemetryOptions settings, Uri endpoint, string signalPath)
    {
        exporter.Protocol = settings.OtlpProtocol == OtlpProtocol.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;

        // Set in code, the HTTP exporter posts to the address as given: add the signal's path like the OTEL_ variables do.
        exporter.Endpoint = settings.OtlpProtocol == OtlpProtocol.HttpProtobuf && !endpoint.AbsolutePath.EndsWith(signalPath, StringComparison.Ordinal)
            ? new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + "/" + signalPath)
            : endpoint;
    }
}
