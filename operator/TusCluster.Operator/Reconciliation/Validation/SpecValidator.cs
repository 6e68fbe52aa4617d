using System.Text.RegularExpressions;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation.Validation;

/// <summary>
/// Checks what the CRD schema cannot express: combinations of fields. Every problem is reported
/// (not just the first), and a spec with problems is never applied: it becomes a Degraded condition.
/// The rules of each spec section live in their own class.
/// </summary>
internal static partial class SpecValidator
{
    public static IReadOnlyList<string> Validate(TusServer server)
    {
        var errors = new List<string>();
        var spec = server.Spec;
        if (server.Name.Length > ChildNames.MaxServerNameLength || !Dns1035().IsMatch(server.Name))
        {
            errors.Add($"metadata.name '{server.Name}' must be a DNS-1035 label of at most {ChildNames.MaxServerNameLength} characters (it names the Service and Deployments).");
        }

        StorageRules.Validate(spec, errors);
        CoordinationRules.Validate(spec, errors);
        ScalingRules.Validate(spec, errors);
        DurationRules.Validate(spec, errors);
        ServerRules.Validate(spec, errors);
        PodRules.Validate(spec, errors);
        if (spec.Monitoring?.MetricsPort is OperatorDefaults.UploadPort or OperatorDefaults.SweeperPort)
        {
            errors.Add($"spec.monitoring.metricsPort must differ from the service ports {OperatorDefaults.UploadPort} and {OperatorDefaults.SweeperPort}.");
        }

        return errors;
    }

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035();
}
