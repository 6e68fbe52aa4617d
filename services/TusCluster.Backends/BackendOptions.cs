namespace TusCluster.Backends;

/// <summary>Which store and coordination backend to use: <c>Tus:Storage:Provider</c>, <c>Tus:Coordination:Provider</c>.</summary>
public sealed class BackendOptions
{
    public const string StorageProviderKey = "Tus:Storage:Provider";
    public const string CoordinationProviderKey = "Tus:Coordination:Provider";

    public static readonly string[] StorageProviders = ["FileSystem", "S3", "Gcs", "Azure"];
    public static readonly string[] CoordinationProviders = ["Embedded", "Etcd", "Redis", "DynamoDb", "PostgreSql", "S3"];
}
