namespace TusCluster.Operator.Resources;

internal sealed record CoordinationSpec
{
    public string? Provider { get; init; }
    public EmbeddedCoordinationSpec? Embedded { get; init; }
    public RedisCoordinationSpec? Redis { get; init; }
    public EtcdCoordinationSpec? Etcd { get; init; }
    public DynamoDbCoordinationSpec? DynamoDb { get; init; }
    public PostgreSqlCoordinationSpec? PostgreSql { get; init; }
    public S3CoordinationSpec? S3 { get; init; }
}
