using TusCluster.Coordination.Contract;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Embedded.Tests;

/// <summary>Builds coordination instances over one record directory, as successive process starts would.</summary>
internal static class CoordinationFixture
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    public static EmbeddedUploadCoordination Create(string directory) =>
        new(Options.Create(new EmbeddedCoordinationOptions { Directory = directory }));

    public static UploadRecord NewRecord(string id, long offset = 0, DateTimeOffset? expiresAt = null) => TestRecords.New(id, offset, expiresAt);

    public static void AssertSameRecord(UploadRecord expected, UploadRecord? actual) => TestRecords.AssertSame(expected, actual);
}
