using System.Text.Json.Nodes;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation;

/// <summary>The service configuration as TUS__ environment variable names, consumed with envFrom.</summary>
internal static class ConfigMapBuilder
{
    public static JsonObject Build(TusServer server, SortedDictionary<string, string> configuration)
    {
        var manifest = ChildMetadata.Manifest("v1", "ConfigMap", ChildMetadata.Create(server, ChildNames.Config(server.Name), null));
        var data = new JsonObject();
        foreach (var (key, value) in configuration)
        {
            data[key] = value;
        }

        manifest["data"] = data;
        return manifest;
    }
}
