using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Tests.Storage;

public sealed class ReadRangeTests
{
    private static readonly UploadRecord Upload = new() { Id = UploadId.New(), Length = 100 };

    [Theory]
    [InlineData(0, 10, 0, 10)]
    [InlineData(90, 50, 90, 100)] // never past the upload's length
    [InlineData(40, long.MaxValue, 40, 100)] // "to the end" does not overflow
    [InlineData(100, 5, 100, 100)]
    public void The_range_is_cut_at_the_upload_length(long offset, long count, long start, long end)
    {
        var range = ReadRange.Of(Upload, offset, count);

        Assert.Equal((start, end, end - start), (range.Offset, range.End, range.Length));
        Assert.Equal(end <= start, range.IsEmpty);
    }

    [Fact]
    public void An_upload_of_unknown_length_is_read_as_far_as_asked()
    {
        var range = ReadRange.Of(Upload with { Length = null }, long.MaxValue - 1, long.MaxValue);

        Assert.Equal(long.MaxValue, range.End);
        Assert.False(range.IsEmpty);
    }
}
