using System.Text;

namespace TusCluster.Coordination.Redis.Resp;

/// <summary>One parsed RESP2 reply. Null bulk strings and null arrays have <see cref="IsNull"/> set.</summary>
internal sealed class RespValue
{
    private RespValue(RespType type)
    {
        Type = type;
    }

    public RespType Type { get; }

    public bool IsNull { get; private init; }

    /// <summary>The text of a simple string or an error.</summary>
    public string? Text { get; private init; }

    public long Integer { get; private init; }

    /// <summary>The bytes of a bulk string (null for a null bulk string).</summary>
    public byte[]? Bulk { get; private init; }

    /// <summary>The elements of an array (null for a null array).</summary>
    public IReadOnlyList<RespValue>? Elements { get; private init; }

    public bool IsError => Type == RespType.Error;

    public static RespValue SimpleString(string text) => new(RespType.SimpleString) { Text = text };

    public static RespValue Error(string text) => new(RespType.Error) { Text = text };

    public static RespValue FromInteger(long value) => new(RespType.Integer) { Integer = value };

    public static RespValue BulkString(byte[]? bytes) => new(RespType.BulkString) { Bulk = bytes, IsNull = bytes is null };

    public static RespValue Array(IReadOnlyList<RespValue>? elements) => new(RespType.Array) { Elements = elements, IsNull = elements is null };

    /// <summary>A simple or bulk string as text; null for nulls and other types.</summary>
    public string? AsString() => Type switch
    {
        RespType.SimpleString or RespType.Error => Text,
        RespType.BulkString when Bulk is not null => Encoding.UTF8.GetString(Bulk),
        RespType.Integer => Integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    public override string ToString() => Type switch
    {
        RespType.Array when Elements is not null => $"[{string.Join(", ", Elements)}]",
        _ when IsNull => "(nil)",
        _ => $"{Type}:{AsString()}",
    };
}
