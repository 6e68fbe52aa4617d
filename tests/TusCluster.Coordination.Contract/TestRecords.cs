using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Contract;

/// <summary>Upload records for coordination tests, and how to compare them.</summary>
public static class TestRecords
{
    public static UploadRecord New(string id, long offset = 0, DateTimeOffset? expiresAt = null) =>
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
    public static void AssertSame(UploadRecord expected, UploadRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.PartialIds, actual.PartialIds);
        Assert.Equal(expected, actual with { PartialIds = expected.PartialIds });
    }
}
