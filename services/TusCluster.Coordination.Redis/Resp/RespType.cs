namespace TusCluster.Coordination.Redis.Resp;

/// <summary>The RESP2 reply types.</summary>
internal enum RespType
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Array,
}
