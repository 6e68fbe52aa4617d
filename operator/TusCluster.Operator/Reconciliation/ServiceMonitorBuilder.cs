using System.Text.Json.Nodes;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation;

/// <summary>A prometheus-operator ServiceMonitor for the upload Service, when spec.monitoring.serviceMonitor.enabled.</summary>
internal static class ServiceMonitorBuilder
{
    public static bool IsWanted(TusServerSpec spec) => spec.Monitoring?.ServiceMonitor?.Enabled == true;

    public static JsonObject Build(TusServer server)
    {
        var monitoring = server.Spec.Monitoring;
        var metadata = ChildMetadata.Create(server, ChildNames.Upload(server.Name), Labels.UploadComponent);
        var labels = (JsonObject)metadata["labels"]!;
        foreach (var (key, value) in monitoring?.ServiceMonitor?.Labels ?? new Dictionary<string, string>()) labels[key] = value;

        var manifest = ChildMetadata.Manifest("monitoring.coreos.com/v1", "ServiceMonitor", metadata);
        manifest["spec"] = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = ChildMetadata.SelectorLabels(server, Labels.UploadComponent) },
            ["endpoints"] = new JsonArray(new JsonObject
            {
                ["port"] = monitoring?.MetricsPort is null ? "http" : "metrics",
                ["path"] = monitoring?.MetricsPath ?? OperatorDefaults.MetricsPath,
                ["interval"] = monitoring?.ServiceMonitor?.Interval ?? OperatorDefaults.ServiceMonitorInterval,
                // The shipped alert rules select jobs whose name contains "tus"; the Service name may not.
                ["relabelings"] = new JsonArray(new JsonObject
                {
                    ["targetLabel"] = "job",
                    ["replacement"] = "tuscluster-" + server.Name,
                    ["action"] = "replace",
                }),
            }),
        };
        return manifest;
    }
}
