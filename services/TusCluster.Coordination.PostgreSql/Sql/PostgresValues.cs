using Npgsql;
using NpgsqlTypes;

namespace TusCluster.Coordination.PostgreSql;

/// <summary>Typed statement parameters, and instants as <c>timestamptz</c> holds them (microseconds, UTC).</summary>
internal static class PostgresValues
{
    public static NpgsqlParameter Text(string value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = value };

    public static NpgsqlParameter Bigint(long value) => new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = value };

    public static NpgsqlParameter Boolean(bool value) => new() { NpgsqlDbType = NpgsqlDbType.Boolean, Value = value };

    public static NpgsqlParameter Uuid(Guid value) => new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = value };

    /// <summary>A bound to compare stored instants with: Npgsql drops sub-microsecond ticks, which rounds it down.</summary>
    public static NpgsqlParameter Bound(DateTimeOffset value) => new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = value.UtcDateTime };

    /// <summary>
    /// An instant to store, rounded up to the microsecond: bounds are rounded down, so an upload is never reported
    /// expired (nor an event due) before its time.
    /// </summary>
    public static NpgsqlParameter Stored(DateTimeOffset? value) => new()
    {
        NpgsqlDbType = NpgsqlDbType.TimestampTz,
        Value = value is { } instant ? RoundUp(instant) : DBNull.Value,
    };

    public static NpgsqlParameter Array(NpgsqlDbType element, object values) => new() { NpgsqlDbType = NpgsqlDbType.Array | element, Value = values };

    public static DateTime RoundUp(DateTimeOffset instant)
    {
        var ticks = instant.UtcTicks;
        const long PerMicrosecond = TimeSpan.TicksPerMicrosecond;
        var rounded = ticks > DateTime.MaxValue.Ticks - PerMicrosecond ? DateTime.MaxValue.Ticks : (ticks + PerMicrosecond - 1) / PerMicrosecond * PerMicrosecond;
        return new DateTime(rounded, DateTimeKind.Utc);
    }

    public static DateTimeOffset Instant(DateTime stored) => new(DateTime.SpecifyKind(stored, DateTimeKind.Utc));
}
