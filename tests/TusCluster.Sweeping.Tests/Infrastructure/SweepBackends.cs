namespace TusCluster.Sweeping.Tests;

/// <summary>
/// The coordination backends every sweeper test runs on. Adding one is a name here plus its server and
/// configuration in <see cref="CoordinationServers"/>; no test changes.
/// </summary>
public static class SweepBackends
{
    /// <summary>Every backend (the embedded one shares one process, the others a real server).</summary>
    public static TheoryData<string> All => ["Embedded", "Redis", "Etcd", "DynamoDb", "PostgreSql", "S3"];

    /// <summary>Backends that several processes share (fail-over and kill tests).</summary>
    public static TheoryData<string> Shared => ["Redis", "Etcd", "DynamoDb", "PostgreSql", "S3"];
}
