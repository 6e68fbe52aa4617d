using Grpc.Core;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Etcd.Grpc;

/// <summary>What a failed etcd call means for the caller.</summary>
internal static class EtcdFailure
{
    public static CoordinationUnavailableException Unavailable(string what, RpcException e)
    {
        var detail = e.Status.Detail;
        var message = IsAuthentication(e)
            ? $"etcd refused to authenticate this client for the {what}: {detail}"
            : $"etcd failed the {what}: {e.StatusCode} {detail}";
        return new CoordinationUnavailableException(message, e);
    }

    /// <summary>etcd no longer knows the lease a write was attached to (it expired or was revoked).</summary>
    public static bool IsLeaseNotFound(Exception e) =>
        e.InnerException is RpcException { StatusCode: StatusCode.NotFound } rpc
        && rpc.Status.Detail.Contains("lease not found", StringComparison.Ordinal);

    private static bool IsAuthentication(RpcException e) =>
        e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied
        || e.Status.Detail.Contains("authentication failed", StringComparison.Ordinal)
        || e.Status.Detail.Contains("user name is empty", StringComparison.Ordinal);
}
