namespace TusCluster.Observability.Options;

public enum OtlpProtocol
{
    /// <summary>OTLP over gRPC, usually port 4317.</summary>
    Grpc,

    /// <summary>OTLP over HTTP with protobuf bodies, usually port 4318; /v1/traces and /v1/metrics are appended.</summary>
    HttpProtobuf,
}
