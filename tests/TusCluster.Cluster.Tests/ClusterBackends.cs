namespace TusCluster.Cluster.Tests;

/// <summary>The coordination backends every cluster test runs against, each a real server.</summary>
public static class ClusterBackends
{
    public static TheoryData<string> All => ["Redis", "Etcd", "DynamoDb", "PostgreSql", "S3"];
}
