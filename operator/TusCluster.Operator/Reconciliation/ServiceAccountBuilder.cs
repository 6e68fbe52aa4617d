using System.Text.Json.Nodes;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation;

/// <summary>The pods' identity. The services never call the Kubernetes API, so no token is mounted.</summary>
internal static class ServiceAccountBuilder
{
    public static JsonObject Build(TusServer server)
    {
        var manifest = ChildMetadata.Manifest("v1", "ServiceAccount", ChildMetadata.Create(server, ChildNames.ServiceAccount(server.Name), null));
        manifest["automountServiceAccountToken"] = false;
        return manifest;
    }
}
