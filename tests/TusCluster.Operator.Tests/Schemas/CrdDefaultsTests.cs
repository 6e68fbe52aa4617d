using System.Text.Json.Nodes;
using TusCluster.Operator.Reconciliation;

namespace TusCluster.Operator.Tests.Schemas;

/// <summary>The CRD's defaults and the builders' fallbacks must agree, or a defaulted object and an undefaulted one would differ.</summary>
public sealed class CrdDefaultsTests
{
    private static readonly JsonObject Spec = YamlJson.Parse(File.ReadAllText(RepositoryPaths.Crd))
        ["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!.AsObject();

    [Fact]
    public void Crd_defaults_equal_the_operator_defaults()
    {
        Assert.Equal(OperatorDefaults.Replicas, Default<long>("replicas"));
        Assert.Equal(OperatorDefaults.UploadImageRepository, Default<string>("image.repository"));
        Assert.Equal(OperatorDefaults.ImageTag, Default<string>("image.tag"));
        Assert.Equal(OperatorDefaults.PullPolicy, Default<string>("image.pullPolicy"));
        Assert.Equal(OperatorDefaults.BasePath, Default<string>("server.basePath"));
        Assert.Equal(OperatorDefaults.DrainPeriod, Default<string>("server.drainPeriod"));
        Assert.Equal(OperatorDefaults.CommitGracePeriod, Default<string>("server.commitGracePeriod"));
        Assert.Equal(OperatorDefaults.PreStopDelaySeconds, Default<long>("server.preStopDelaySeconds"));
        Assert.Equal(OperatorDefaults.LogFormat, Default<string>("server.logFormat"));
        Assert.Equal(OperatorDefaults.HttpsPort, Default<long>("server.tls.port"));
        Assert.Equal(OperatorDefaults.SweeperImageRepository, Default<string>("sweeper.image.repository"));
        Assert.Equal(OperatorDefaults.SweeperReplicas, Default<long>("sweeper.replicas"));
        Assert.Equal(OperatorDefaults.AutoscalingMinReplicas, Default<long>("autoscaling.minReplicas"));
        Assert.Equal(OperatorDefaults.AutoscalingMaxReplicas, Default<long>("autoscaling.maxReplicas"));
        Assert.Equal(OperatorDefaults.AutoscalingTargetCpu, Default<long>("autoscaling.targetCPUUtilizationPercentage"));
        Assert.Equal(OperatorDefaults.ServiceType, Default<string>("service.type"));
        Assert.Equal(OperatorDefaults.ServicePort, Default<long>("service.port"));
        Assert.Equal(OperatorDefaults.MetricsPath, Default<string>("monitoring.metricsPath"));
        Assert.Equal(OperatorDefaults.ServiceMonitorInterval, Default<string>("monitoring.serviceMonitor.interval"));
    }

    [Fact]
    public void Printer_columns_and_subresources_are_declared()
    {
        var version = YamlJson.Parse(File.ReadAllText(RepositoryPaths.Crd))["spec"]!["versions"]![0]!;
        var columns = version["additionalPrinterColumns"]!.AsArray().Select(c => (string?)c!["name"]).ToList();

        Assert.Equal(["Replicas", "Ready", "Storage", "Coordination", "Status", "Endpoint", "Age"], columns);
        Assert.NotNull(version["subresources"]!["status"]);
        Assert.Equal(".spec.replicas", (string?)version["subresources"]!["scale"]!["specReplicasPath"]);
        Assert.Equal(".status.selector", (string?)version["subresources"]!["scale"]!["labelSelectorPath"]);
    }

    private static T Default<T>(string path)
    {
        JsonNode node = Spec;
        foreach (var part in path.Split('.')) node = node["properties"]![part]!;
        return node["default"]!.GetValue<T>();
    }
}
