using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation.Validation;

/// <summary>spec.autoscaling and spec.disruptionBudget: bounds that contradict each other.</summary>
internal static class ScalingRules
{
    public static void Validate(TusServerSpec spec, List<string> errors)
    {
        var a = spec.Autoscaling;
        if (a?.Enabled == true)
        {
            var min = a.MinReplicas ?? OperatorDefaults.AutoscalingMinReplicas;
            var max = a.MaxReplicas ?? OperatorDefaults.AutoscalingMaxReplicas;
            if (min > max) errors.Add($"spec.autoscaling.minReplicas ({min}) must not exceed maxReplicas ({max}).");
            if (spec.Resources is not null && spec.Resources["requests"]?["cpu"] is null)
            {
                errors.Add("spec.autoscaling needs a CPU request: set spec.resources.requests.cpu (or leave spec.resources unset for the defaults).");
            }
        }

        var pdb = spec.DisruptionBudget;
        if (pdb?.MinAvailable is not null && pdb.MaxUnavailable is not null)
        {
            errors.Add("spec.disruptionBudget: set minAvailable or maxUnavailable, not both.");
        }
    }
}
