using System.Text.Json.Nodes;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation;

/// <summary>Credentials reach the pods as env vars from secretKeyRef; they never enter the ConfigMap.</summary>
internal static class SecretEnvironment
{
    public static JsonArray Build(TusServerSpec spec)
    {
        var env = new JsonArray();
        if (spec.Storage?.Provider == "S3" && spec.Storage.S3?.CredentialsSecretRef is { } s3)
        {
            AddCredentials(env, "TUS__STORAGE__S3__", s3);
        }

        if (spec.Storage?.Provider == "Azure" && spec.Storage.Azure?.ConnectionStringSecretRef is { } azure)
        {
            env.Add(FromSecret("TUS__STORAGE__AZURE__CONNECTIONSTRING", azure.Name!, azure.Key ?? "connectionString"));
        }

        var c = spec.Coordination;
        switch (c?.Provider)
        {
            case "Redis" when c.Redis?.PasswordSecretRef is { } redis:
                env.Add(FromSecret("TUS__COORDINATION__REDIS__PASSWORD", redis.Name!, redis.Key ?? "password"));
                break;
            case "Etcd" when c.Etcd?.PasswordSecretRef is { } etcd:
                env.Add(FromSecret("TUS__COORDINATION__ETCD__PASSWORD", etcd.Name!, etcd.Key ?? "password"));
                break;
            case "DynamoDb" when c.DynamoDb?.CredentialsSecretRef is { } dynamo:
                AddCredentials(env, "TUS__COORDINATION__DYNAMODB__", dynamo);
                break;
            case "PostgreSql" when c.PostgreSql?.ConnectionStringSecretRef is { } postgres:
                env.Add(FromSecret("TUS__COORDINATION__POSTGRESQL__CONNECTIONSTRING", postgres.Name!, postgres.Key ?? "connectionString"));
                break;
            case "S3" when spec.Storage?.S3?.CredentialsSecretRef is { } storeCredentials:
                // S3 coordination reuses the S3 store's credentials Secret.
                AddCredentials(env, "TUS__COORDINATION__S3__", storeCredentials);
                break;
        }

        return env;
    }

    private static void AddCredentials(JsonArray env, string prefix, CredentialsSecretRef secret)
    {
        env.Add(FromSecret(prefix + "ACCESSKEY", secret.Name!, secret.AccessKeyKey ?? "accessKey"));
        env.Add(FromSecret(prefix + "SECRETKEY", secret.Name!, secret.SecretKeyKey ?? "secretKey"));
    }

    private static JsonObject FromSecret(string name, string secret, string key) => new()
    {
        ["name"] = name,
        ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = secret, ["key"] = key } },
    };
}
