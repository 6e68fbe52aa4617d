using TusCluster.Hooks.Sinks;

namespace TusCluster.Hooks.Grpc;

/// <summary>
/// Bound from <c>Tus:Hooks:Grpc</c>; the sink exists only when <see cref="Address"/> is set (tusd's
/// -hooks-grpc-*). Forwarded headers go as call metadata, first value only; the timeout is the deadline of one call.
/// </summary>
public sealed class GrpcHookOptions : RemoteHookOptions
{
    public const string SectionName = "Tus:Hooks:Grpc";

    /// <summary>http:// (HTTP/2 without TLS) or https:// address of the HookHandler service, like http://hooks:8000.</summary>
    public string? Address { get; set; }
}
