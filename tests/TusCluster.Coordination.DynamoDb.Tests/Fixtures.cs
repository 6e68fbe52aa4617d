using TusCluster.Coordination.Contract;
using Microsoft.Extensions.Logging.Abstractions;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.DynamoDb.Tests;

/// <summary>Builds coordination instances (each stands in for one replica) and records.</summary>
internal static class Fixtures
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    public static DynamoDbCoordinationOptions Options(DynaliteServer server, string tableName, Action<DynamoDbCoordinationOptions>? configure = null) =>
        Options(server.Endpoint, tableName, configure);

    public static DynamoDbCoordinationOptions Options(string endpoint, string tableName, Action<DynamoDbCoordinationOptions>? configure = null)
    {
        var options = new DynamoDbCoordinationOptions
        {
            ServiceUrl = endpoint,
            TableName = tableName,
            CreateTable = true,
            AccessKey = "test",
            SecretKey = "test",
            LeaseTtl = TimeSpan.FromSeconds(5),
            HandOverPollInterval = TimeSpan.FromMilliseconds(50),
            RequestTimeout = TimeSpan.FromSeconds(2),
        };
        configure?.Invoke(options);
        return options;
    }

    public static DynamoDbUploadCoordination Create(DynaliteServer server, string tableName, Action<DynamoDbCoordinationOptions>? configure = null) =>
        new(Microsoft.Extensions.Options.Options.Create(Options(server, tableName, configure)), NullLogger<DynamoDbUploadCoordination>.Instance);

    public static DynamoDbUploadCoordination Create(MotoServer server, string tableName, Action<DynamoDbCoordinationOptions>? configure = null) =>
        new(Microsoft.Extensions.Options.Options.Create(Options(server.Endpoint, tableName, configure)), NullLogger<DynamoDbUploadCoordination>.Instance);

    public static DynamoDbUploadCoordination Create(DynaliteServerFixture fixture, Action<DynamoDbCoordinationOptions>? configure = null) =>
        Create(fixture.Server, fixture.TableName, configure);

    public static UploadRecord NewRecord(string id, long offset = 0, DateTimeOffset? expiresAt = null) => TestRecords.New(id, offset, expiresAt);

    public static void AssertSameRecord(UploadRecord expected, UploadRecord? actual) => TestRecords.AssertSame(expected, actual);
}
