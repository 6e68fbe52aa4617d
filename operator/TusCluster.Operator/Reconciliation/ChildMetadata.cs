using System.Text.Json.Nodes;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation;

/// <summary>Metadata of a child: namespace, labels and the controller owner reference that lets the garbage collector remove it.</summary>
internal static class ChildMetadata
{
    public static JsonObject Create(TusServer server, string name, string? component)
    {
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = server.Namespace,
            ["labels"] = CommonLabels(server, component),
            ["ownerReferences"] = new JsonArray(OwnerReference(server)),
        };
        return metadata;
    }

    public static JsonObject CommonLabels(TusServer server, string? component)
    {
        var labels = SelectorLabels(server, component);
        labels[Labels.ManagedBy] = Labels.OperatorName;
        return labels;
    }

    public static JsonObject SelectorLabels(TusServer server, string? component)
    {
        var labels = new JsonObject { [Labels.Name] = Labels.AppName, [Labels.Instance] = server.Name };
        if (component is not null) labels[Labels.Component] = component;
        return labels;
    }

    /// <summary>The label selector of the upload pods, as the scale subresource reports it.</summary>
    public static string UploadSelector(TusServer server) =>
        $"{Labels.Name}={Labels.AppName},{Labels.Instance}={server.Name},{Labels.Component}={Labels.UploadComponent}";

    public static JsonObject OwnerReference(TusServer server) => new()
    {
        ["apiVersion"] = TusServer.ApiVersion,
        ["kind"] = TusServer.Kind,
        ["name"] = server.Name,
        ["uid"] = server.Uid,
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    public static JsonObject Manifest(string apiVersion, string kind, JsonObject metadata) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["metadata"] = metadata,
    };
}
