using Microsoft.Extensions.Options;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Embedded.Tests;

/// <summary>Builds coordination instances over one record directory, as successive process starts would.</summary>
internal static class CoordinationFixture
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    public static InProcessUploadCoordination Create(string directory) =>
        new(Options.Create(new EmbeddedCoordinationOptions { Directory = directory }));

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
