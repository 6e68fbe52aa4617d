using OpenTelemetry.Exporter;
using TusCluster.Observability.Options;

namespace TusCluster.Observability.Telemetry;

/// <summary>Points one signal's OTLP exporter at the configured collector (Tus:Telemetry).</summary>
internal static class OtlpEndpoints
{
    public static void Configure(OtlpExporterOptions exporter, TelemetryOptions settings, Uri endpoint, string signalPath)
    {
        exporter.Protocol = settings.OtlpProtocol == OtlpProtocol.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;

        // Set in code, the HTTP exporter posts to the address as given (only the OTEL_ variables get the
        // signal's path appended), and the cross-signal UseOtlpExporter would export logs too: add the path here.
        exporter.Endpoint = settings.OtlpProtocol == OtlpProtocol.HttpProtobuf && !endpoint.AbsolutePath.EndsWith(signalPath, StringComparison.Ordinal)
            ? new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + "/" + signalPath)
            : endpoint;
    }
}
