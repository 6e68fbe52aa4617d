using Microsoft.Extensions.Logging.Abstractions;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Redis.Tests;

/// <summary>Builds coordination instances (each stands in for one replica) and records.</summary>
internal static class Fixtures
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    public static RedisCoordinationOptions Options(RedisServer server, Action<RedisCoordinationOptions>? configure = null)
    {
        var options = new RedisCoordinationOptions
        {
            Endpoint = server.Endpoint,
            LeaseTtl = TimeSpan.FromSeconds(5),
            ConnectTimeout = TimeSpan.FromMilliseconds(500),
            CommandTimeout = TimeSpan.FromMilliseconds(500),
        };
        configure?.Invoke(options);
        return options;
    }

    public static RedisUploadCoordination Create(RedisServer server, Action<RedisCoordinationOptions>? configure = null) =>
        new(Microsoft.Extensions.Options.Options.Create(Options(server, configure)), NullLogger<RedisUploadCoordination>.Instance);

    public static UploadRecord NewRecord(string id, long offset = 0, DateTimeOffset? expiresAt = null) =>
        new()
        {
            Id = id,
            Length = 1000,
            Offset = offset,
            Metadata = "filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==",
            CreatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
            ExpiresAt = expiresAt,
            StoreState = "7:0:12",
        };

    /// <summary>Records compare with <see cref="UploadRecord.PartialIds"/> by content, not by array identity.</summary>
    public static void AssertSameRecord(UploadRecord expected, UploadRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.PartialIds, actual.PartialIds);
        Assert.Equal(expected, actual with { PartialIds = expected.PartialIds });
    }
}
