using System.Text.Json.Nodes;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation;

/// <summary>The one address clients use; any replica can serve any upload, so no session affinity.</summary>
internal static class ServiceBuilder
{
    public static JsonObject Build(TusServer server)
    {
        var spec = server.Spec;
        var metadata = ChildMetadata.Create(server, ChildNames.Upload(server.Name), Labels.UploadComponent);
        if (spec.Service?.Annotations is { Count: > 0 } annotations)
        {
            metadata["annotations"] = new JsonObject(annotations.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        }

        var ports = new JsonArray(new JsonObject
        {
            ["name"] = "http",
            ["port"] = spec.Service?.Port ?? OperatorDefaults.ServicePort,
            ["targetPort"] = "http",
            ["protocol"] = "TCP",
        });
        if (spec.Monitoring?.MetricsPort is { } metricsPort)
        {
            ports.Add(new JsonObject { ["name"] = "metrics", ["port"] = metricsPort, ["targetPort"] = "metrics", ["protocol"] = "TCP" });
        }

        if (spec.Server?.Tls is { SecretName.Length: > 0 })
        {
            ports.Add(new JsonObject { ["name"] = "https", ["port"] = OperatorDefaults.HttpsServicePort, ["targetPort"] = "https", ["protocol"] = "TCP" });
        }

        var manifest = ChildMetadata.Manifest("v1", "Service", metadata);
        manifest["spec"] = new JsonObject
        {
            ["type"] = spec.Service?.Type ?? OperatorDefaults.ServiceType,
            ["selector"] = ChildMetadata.SelectorLabels(server, Labels.UploadComponent),
            ["ports"] = ports,
        };
        return manifest;
    }
}
