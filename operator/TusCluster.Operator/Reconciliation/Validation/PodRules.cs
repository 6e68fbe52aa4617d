using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation.Validation;

/// <summary>spec.pod: extraEnv that would collide with the operator's variables, labels the operator selects by.</summary>
internal static class PodRules
{
    /// <summary>Variables the operator puts in the containers' env list; a duplicate name would make the apply fail.</summary>
    private static readonly HashSet<string> ReservedEnvNames = new(StringComparer.Ordinal)
    {
        "TUS__SERVER__URLS",
        "TUS__STORAGE__S3__ACCESSKEY", "TUS__STORAGE__S3__SECRETKEY", "TUS__COORDINATION__REDIS__PASSWORD",
        "TUS__COORDINATION__ETCD__PASSWORD", "TUS__COORDINATION__DYNAMODB__ACCESSKEY", "TUS__COORDINATION__DYNAMODB__SECRETKEY",
    };

    public static void Validate(TusServerSpec spec, List<string> errors)
    {
        var seen = new HashSet<string>(ReservedEnvNames, StringComparer.Ordinal);
        foreach (var env in spec.Pod?.ExtraEnv ?? [])
        {
            if (env.Name is null) continue;
            if (env.Value is not null && env.ValueFrom is not null) errors.Add($"spec.pod.extraEnv '{env.Name}': set value or valueFrom, not both.");
            if (!seen.Add(env.Name)) errors.Add($"spec.pod.extraEnv '{env.Name}' is set twice or collides with a variable the operator sets.");
        }

        foreach (var key in spec.Pod?.Labels?.Keys ?? Enumerable.Empty<string>())
        {
            if (key is Labels.Name or Labels.Instance or Labels.Component or Labels.ManagedBy)
            {
                errors.Add($"spec.pod.labels must not set '{key}': the operator selects pods by it.");
            }
        }
    }
}
