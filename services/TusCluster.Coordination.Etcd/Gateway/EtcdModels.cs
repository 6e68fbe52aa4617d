using System.Text.Json.Serialization;

namespace TusCluster.Coordination.Etcd.Gateway;

// Request and response shapes of etcd's v3 JSON gateway (etcd 3.4). Field names are the protobuf
// names in snake_case, except where the proto itself spells them in capitals (ID, TTL). Keys and
// values are base64 (byte[]), int64 fields travel as JSON strings, fields at their default are omitted.

internal sealed record EtcdResponseHeader
{
    public long Revision { get; init; }
}

internal sealed record EtcdKeyValue
{
    public byte[] Key { get; init; } = [];

    public long CreateRevision { get; init; }

    public long ModRevision { get; init; }

    public long Version { get; init; }

    public byte[]? Value { get; init; }

    public long Lease { get; init; }
}

internal sealed record EtcdRangeRequest
{
    public required byte[] Key { get; init; }

    public byte[]? RangeEnd { get; init; }

    public long? Limit { get; init; }
}

internal sealed record EtcdRangeResponse
{
    public EtcdResponseHeader? Header { get; init; }

    public IReadOnlyList<EtcdKeyValue>? Kvs { get; init; }

    public bool More { get; init; }

    public long Count { get; init; }
}

internal sealed record EtcdPutRequest
{
    public required byte[] Key { get; init; }

    public byte[]? Value { get; init; }

    public long? Lease { get; init; }
}

internal sealed record EtcdPutResponse
{
    public EtcdResponseHeader? Header { get; init; }
}

internal sealed record EtcdDeleteRangeRequest
{
    public required byte[] Key { get; init; }

    public byte[]? RangeEnd { get; init; }
}

internal sealed record EtcdDeleteRangeResponse
{
    public EtcdResponseHeader? Header { get; init; }

    public long Deleted { get; init; }
}

/// <summary>One comparison of a transaction. Target: CREATE, MOD, VALUE or VERSION; result: EQUAL (default), GREATER, LESS, NOT_EQUAL.</summary>
internal sealed record EtcdCompare
{
    public required string Target { get; init; }

    public string? Result { get; init; }

    public required byte[] Key { get; init; }

    public long? CreateRevision { get; init; }

    public long? ModRevision { get; init; }

    public byte[]? Value { get; init; }

    public static EtcdCompare CreateRevisionEquals(byte[] key, long revision) =>
        new() { Target = "CREATE", Key = key, CreateRevision = revision };

    public static EtcdCompare ModRevisionEquals(byte[] key, long revision) =>
        new() { Target = "MOD", Key = key, ModRevision = revision };

    public static EtcdCompare ValueEquals(byte[] key, byte[] value) =>
        new() { Target = "VALUE", Key = key, Value = value };
}

internal sealed record EtcdRequestOp
{
    public EtcdRangeRequest? RequestRange { get; init; }

    public EtcdPutRequest? RequestPut { get; init; }

    public EtcdDeleteRangeRequest? RequestDeleteRange { get; init; }

    public static EtcdRequestOp Range(EtcdRangeRequest request) => new() { RequestRange = request };

    public static EtcdRequestOp Put(EtcdPutRequest request) => new() { RequestPut = request };

    public static EtcdRequestOp Delete(EtcdDeleteRangeRequest request) => new() { RequestDeleteRange = request };
}

internal sealed record EtcdTxnRequest
{
    public IReadOnlyList<EtcdCompare> Compare { get; init; } = [];

    public IReadOnlyList<EtcdRequestOp> Success { get; init; } = [];

    public IReadOnlyList<EtcdRequestOp> Failure { get; init; } = [];
}

internal sealed record EtcdResponseOp
{
    public EtcdRangeResponse? ResponseRange { get; init; }

    public EtcdPutResponse? ResponsePut { get; init; }

    public EtcdDeleteRangeResponse? ResponseDeleteRange { get; init; }
}

internal sealed record EtcdTxnResponse
{
    public EtcdResponseHeader? Header { get; init; }

    public bool Succeeded { get; init; }

    public IReadOnlyList<EtcdResponseOp>? Responses { get; init; }
}

internal sealed record EtcdLeaseGrantRequest
{
    [JsonPropertyName("TTL")]
    public long Ttl { get; init; }

    [JsonPropertyName("ID")]
    public long? Id { get; init; }
}

internal sealed record EtcdLeaseGrantResponse
{
    public EtcdResponseHeader? Header { get; init; }

    [JsonPropertyName("ID")]
    public long Id { get; init; }

    [JsonPropertyName("TTL")]
    public long Ttl { get; init; }

    public string? Error { get; init; }
}

internal sealed record EtcdLeaseIdRequest
{
    [JsonPropertyName("ID")]
    public long Id { get; init; }
}

internal sealed record EtcdLeaseKeepAliveResult
{
    public EtcdResponseHeader? Header { get; init; }

    [JsonPropertyName("ID")]
    public long Id { get; init; }

    /// <summary>0 when the lease no longer exists.</summary>
    [JsonPropertyName("TTL")]
    public long Ttl { get; init; }
}

/// <summary>A streamed gateway message: either a result or an error.</summary>
internal sealed record EtcdStreamMessage<T>
{
    public T? Result { get; init; }

    public EtcdError? Error { get; init; }
}

internal sealed record EtcdLeaseRevokeResponse
{
    public EtcdResponseHeader? Header { get; init; }
}

internal sealed record EtcdAuthenticateRequest
{
    public required string Name { get; init; }

    public required string Password { get; init; }
}

internal sealed record EtcdAuthenticateResponse
{
    public EtcdResponseHeader? Header { get; init; }

    public string? Token { get; init; }
}

internal sealed record EtcdStatusResponse
{
    public EtcdResponseHeader? Header { get; init; }

    public string? Version { get; init; }
}

internal sealed record EtcdEmptyRequest;

internal sealed record EtcdWatchCreateRequest
{
    public required byte[] Key { get; init; }

    public byte[]? RangeEnd { get; init; }

    public long? StartRevision { get; init; }
}

internal sealed record EtcdWatchRequest
{
    public required EtcdWatchCreateRequest CreateRequest { get; init; }
}

internal sealed record EtcdEvent
{
    /// <summary>Absent for PUT; "DELETE" for a deletion.</summary>
    public string? Type { get; init; }

    public EtcdKeyValue? Kv { get; init; }

    [JsonIgnore]
    public bool IsDelete => string.Equals(Type, "DELETE", StringComparison.Ordinal);
}

internal sealed record EtcdWatchResponse
{
    public EtcdResponseHeader? Header { get; init; }

    public long WatchId { get; init; }

    public bool Created { get; init; }

    public bool Canceled { get; init; }

    public long CompactRevision { get; init; }

    public string? CancelReason { get; init; }

    public IReadOnlyList<EtcdEvent>? Events { get; init; }
}

/// <summary>The error body the gateway answers with (a gRPC status).</summary>
internal sealed record EtcdError
{
    public string? Error { get; init; }

    public string? Message { get; init; }

    public int Code { get; init; }
}
