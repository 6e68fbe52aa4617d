using System.Text.Json.Nodes;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Tests;

/// <summary>TusServer specs for the tests: a valid base per backend, edited per case.</summary>
internal static class TestServers
{
    public static JsonObject RedisOnS3() => Spec("""
        {
          "storage": { "provider": "S3", "s3": { "bucket": "uploads", "credentialsSecretRef": { "name": "s3-creds" } } },
          "coordination": { "provider": "Redis", "redis": { "endpoint": "redis.data:6379", "passwordSecretRef": { "name": "redis-auth" } } }
        }
        """);

    public static JsonObject EtcdOnVolume() => Spec("""
        {
          "replicas": 3,
          "storage": { "provider": "FileSystem", "fileSystem": { "claimName": "uploads-data", "subPath": "tus" } },
          "coordination": { "provider": "Etcd", "etcd": { "endpoints": [ "http://etcd-0:2379", "http://etcd-1:2379" ], "username": "tus", "passwordSecretRef": { "name": "etcd-auth", "key": "pw" } } }
        }
        """);

    public static JsonObject DynamoDbOnS3() => Spec("""
        {
          "storage": { "provider": "S3", "s3": { "bucket": "uploads", "region": "eu-west-1" } },
          "coordination": { "provider": "DynamoDb", "dynamoDb": { "tableName": "tus", "region": "eu-west-1", "credentialsSecretRef": { "name": "aws" } } }
        }
        """);

    public static JsonObject PostgreSqlOnS3() => Spec("""
        {
          "storage": { "provider": "S3", "s3": { "bucket": "uploads", "region": "eu-west-1" } },
          "coordination": { "provider": "PostgreSql", "postgreSql": { "schema": "uploads", "createSchema": true, "connectionStringSecretRef": { "name": "pg" } } }
        }
        """);

    public static JsonObject EmbeddedOnVolume() => Spec("""
        {
          "replicas": 1,
          "storage": { "provider": "FileSystem", "fileSystem": { "claimName": "single" } },
          "coordination": { "provider": "Embedded" }
        }
        """);

    public static JsonObject AzureWithRedis() => Spec("""
        {
          "storage": { "provider": "Azure", "azure": { "container": "uploads", "connectionStringSecretRef": { "name": "azure" }, "blockSize": 4194304 } },
          "coordination": { "provider": "Redis", "redis": { "endpoint": "redis.data:6379" } }
        }
        """);

    public static JsonObject GcsWithPostgreSql() => Spec("""
        {
          "storage": { "provider": "Gcs", "gcs": { "bucket": "uploads", "objectPrefix": "tus/", "credentialsSecretRef": { "name": "gcs-key" } } },
          "coordination": { "provider": "PostgreSql", "postgreSql": { "connectionStringSecretRef": { "name": "pg" } } }
        }
        """);

    public static JsonObject S3Only() => Spec("""
        {
          "storage": { "provider": "S3", "s3": { "bucket": "uploads", "serviceUrl": "http://rgw:7480", "forcePathStyle": true, "keyPrefix": "data/", "credentialsSecretRef": { "name": "s3-creds" } } },
          "coordination": { "provider": "S3", "s3": { "keyPrefix": "coordination/", "pollInterval": "00:00:00.200" } }
        }
        """);

    /// <summary>S3 alone on an https endpoint whose certificate chains to a private CA, the bundle from a ConfigMap.</summary>
    public static JsonObject S3OnPrivateCa() => S3Only()
        .With("storage.s3.serviceUrl", "https://rgw.storage.svc:7443")
        .With("storage.s3.caCertificateRef", new JsonObject { ["configMapName"] = "s3-ca" });

    public static JsonObject Spec(string json) => JsonNode.Parse(json)!.AsObject();

    public static TusServer Server(JsonObject spec, string name = "uploads", string ns = "media") => TusServer.FromJson(new JsonObject
    {
        ["apiVersion"] = TusServer.ApiVersion,
        ["kind"] = TusServer.Kind,
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["uid"] = "uid-1", ["generation"] = 3 },
        ["spec"] = spec.DeepClone(),
    });

    /// <summary>Sets a value at a dotted path, creating objects on the way ("autoscaling.enabled").</summary>
    public static JsonObject With(this JsonObject spec, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var node = spec;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child) node[part] = child = [];
            node = child;
        }

        node[parts[^1]] = value;
        return spec;
    }
}
