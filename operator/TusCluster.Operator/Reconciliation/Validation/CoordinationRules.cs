using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation.Validation;

/// <summary>What spec.coordination must hold for its provider, and what Embedded coordination cannot do (several replicas, object storage).</summary>
internal static class CoordinationRules
{
    public static void Validate(TusServerSpec spec, List<string> errors)
    {
        var c = spec.Coordination;
        var provider = c?.Provider;
        if (provider is null)
        {
            errors.Add("spec.coordination.provider is required (Embedded, Redis, Etcd, DynamoDb, PostgreSql or S3).");
            return;
        }

        if (provider is not ("Embedded" or "Redis" or "Etcd" or "DynamoDb" or "PostgreSql" or "S3"))
        {
            errors.Add($"spec.coordination.provider '{provider}' is not supported; use Embedded, Redis, Etcd, DynamoDb, PostgreSql or S3.");
            return;
        }

        if (provider == "Redis" && c!.Redis is null) errors.Add("spec.coordination.redis (with an endpoint) is required when the provider is Redis.");
        if (provider == "Etcd" && (c!.Etcd?.Endpoints is not { Count: > 0 })) errors.Add("spec.coordination.etcd.endpoints is required when the provider is Etcd.");
        if (provider == "PostgreSql" && c!.PostgreSql?.ConnectionStringSecretRef?.Name is null)
        {
            errors.Add("spec.coordination.postgreSql.connectionStringSecretRef (a Secret holding the Npgsql connection string) is required when the provider is PostgreSql.");
        }

        if (provider == "S3" && spec.Storage?.Provider != "S3")
        {
            errors.Add("S3 coordination uses the S3 store's endpoint, region and credentials: it needs spec.storage.provider S3.");
        }

        foreach (var (name, section) in new (string, object?)[] { ("embedded", c!.Embedded), ("redis", c.Redis), ("etcd", c.Etcd), ("dynamoDb", c.DynamoDb), ("postgreSql", c.PostgreSql), ("s3", c.S3) })
        {
            if (section is not null && !string.Equals(name, provider, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"spec.coordination.{name} is set but spec.coordination.provider is {provider}; remove one of them.");
            }
        }

        if (provider != "Embedded") return;
        if ((spec.Replicas ?? OperatorDefaults.Replicas) > 1)
        {
            errors.Add($"Embedded coordination keeps locks in one process: spec.replicas must be 0 or 1 (got {spec.Replicas ?? OperatorDefaults.Replicas}); use Redis, Etcd or DynamoDb for more replicas.");
        }

        if (spec.Autoscaling?.Enabled == true) errors.Add("Embedded coordination cannot be autoscaled: disable spec.autoscaling or use Redis, Etcd or DynamoDb.");
        if (spec.Storage?.Provider is "S3" or "Azure" or "Gcs")
        {
            errors.Add("Embedded coordination keeps upload records on the storage volume: use spec.storage.provider FileSystem with it, or a shared coordination backend with object storage.");
        }
    }
}
