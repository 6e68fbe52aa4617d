using Etcdserverpb;
using Google.Protobuf;

namespace TusCluster.Coordination.Etcd.Keys;

/// <summary>Shorthands for the operations and comparisons inside etcd transactions.</summary>
internal static class Ops
{
    public static RequestOp Delete(ByteString key) => new() { RequestDeleteRange = new DeleteRangeRequest { Key = key } };

    public static RequestOp Range(ByteString key) => new() { RequestRange = new RangeRequest { Key = key } };

    public static RequestOp Put(ByteString key, ByteString value, long lease = 0) =>
        new() { RequestPut = new PutRequest { Key = key, Value = value, Lease = lease } };

    public static Compare CreatedAt(ByteString key, long revision) => new()
    {
        Key = key,
        Target = Compare.Types.CompareTarget.Create,
        Result = Compare.Types.CompareResult.Equal,
        CreateRevision = revision,
    };

    public static Compare ValueIs(ByteString key, ByteString value) => new()
    {
        Key = key,
        Target = Compare.Types.CompareTarget.Value,
        Result = Compare.Types.CompareResult.Equal,
        Value = value,
    };

    public static Compare ModifiedAt(ByteString key, long revision) => new()
    {
        Key = key,
        Target = Compare.Types.CompareTarget.Mod,
        Result = Compare.Types.CompareResult.Equal,
        ModRevision = revision,
    };
}
