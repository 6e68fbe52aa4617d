using TusCluster.Coordination.Contract;
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
            // Generous for a loaded CI machine (a first connect with AUTH, or a cold script cache after a
            // restart, took over 500 ms there); a server that is down still fails at once (connection
            // refused), and tests of time-outs set their own.
            ConnectTimeout = TimeSpan.FromSeconds(2),
            CommandTimeout = TimeSpan.FromSeconds(2),
        };
        configure?.Invoke(options);
        return options;
    }

    public static RedisUploadCoordination Create(RedisServer server, Action<RedisCoordinationOptions>? configure = null) =>
        new(Microsoft.Extensions.Options.Options.Create(Options(server, configure)), NullLogger<RedisUploadCoordination>.Instance);

    public static UploadRecord NewRecord(string id, long offset = 0, DateTimeOffset? expiresAt = null) => TestRecords.New(id, offset, expiresAt);

    public static void AssertSameRecord(UploadRecord expected, UploadRecord? actual) => TestRecords.AssertSame(expected, actual);
}
