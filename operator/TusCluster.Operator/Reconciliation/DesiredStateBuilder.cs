using System.Text.Json.Nodes;
using TusCluster.Operator.Kubernetes;
using TusCluster.Operator.Reconciliation.Validation;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation;

/// <summary>Builds every child of a TusServer purely from its spec; no API calls, so it is unit-testable.</summary>
internal static class DesiredStateBuilder
{
    /// <param name="server">The TusServer.</param>
    /// <param name="referencedData">The <see cref="ReferencedDataDigest"/> of the Secrets and ConfigMaps it references.</param>
    public static DesiredState Build(TusServer server, string referencedData = "")
    {
        var errors = server.SpecError is { } specError ? [specError] : SpecValidator.Validate(server);
        if (errors.Count > 0) return new DesiredState([], [], errors, "");

        var spec = server.Spec;
        var configuration = ServiceConfiguration.Build(server);
        var hash = ConfigHash.Compute(configuration, SecretEnvironment.Build(spec), referencedData);
        var objects = new List<JsonObject>
        {
            ServiceAccountBuilder.Build(server),
            ConfigMapBuilder.Build(server, configuration),
            ServiceBuilder.Build(server),
            UploadDeploymentBuilder.Build(server, hash),
        };
        var absent = new List<(ResourceKind, string)>();
        AddOptional(objects, absent, SweeperDeploymentBuilder.IsWanted(spec), ResourceKind.Deployment, ChildNames.Sweeper(server.Name), () => SweeperDeploymentBuilder.Build(server, hash));
        AddOptional(objects, absent, PodDisruptionBudgetBuilder.IsWanted(spec), ResourceKind.PodDisruptionBudget, ChildNames.Upload(server.Name), () => PodDisruptionBudgetBuilder.Build(server));
        AddOptional(objects, absent, HorizontalPodAutoscalerBuilder.IsWanted(spec), ResourceKind.HorizontalPodAutoscaler, ChildNames.Upload(server.Name), () => HorizontalPodAutoscalerBuilder.Build(server));
        AddOptional(objects, absent, ServiceMonitorBuilder.IsWanted(spec), ResourceKind.ServiceMonitor, ChildNames.Upload(server.Name), () => ServiceMonitorBuilder.Build(server));
        return new DesiredState(objects, absent, [], hash);
    }

    private static void AddOptional(
        List<JsonObject> objects, List<(ResourceKind, string)> absent, bool wanted, ResourceKind kind, string name, Func<JsonObject> build)
    {
        if (wanted) objects.Add(build());
        else absent.Add((kind, name));
    }
}
