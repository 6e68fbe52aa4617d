using Microsoft.Extensions.Configuration;

namespace TusCluster.Backends;

/// <summary>Which store and coordination backend to use: <c>Tus:Storage:Provider</c>, <c>Tus:Coordination:Provider</c>.</summary>
public sealed class BackendOptions
{
    public const string StorageProviderKey = "Tus:Storage:Provider";
    public const string CoordinationProviderKey = "Tus:Coordination:Provider";

    public static readonly string[] StorageProviders = ["FileSystem", "S3", "Gcs", "Azure"];
    public static readonly string[] CoordinationProviders = ["Embedded", "Etcd", "Redis", "DynamoDb", "PostgreSql", "S3"];

    /// <summary>The configured store, FileSystem when none is (the embedded default).</summary>
    public static string StorageProvider(IConfiguration configuration) => configuration[StorageProviderKey] ?? "FileSystem";

    /// <summary>The configured coordination backend, Embedded when none is.</summary>
    public static string CoordinationProvider(IConfiguration configuration) => configuration[CoordinationProviderKey] ?? "Embedded";

    public static bool IsProvider(string provider, string name) => string.Equals(provider, name, StringComparison.OrdinalIgnoreCase);
}
