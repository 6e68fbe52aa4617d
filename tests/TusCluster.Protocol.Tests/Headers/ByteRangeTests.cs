using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using TusCluster.Protocol.Headers;

namespace TusCluster.Protocol.Tests.Headers;

public sealed class ByteRangeTests
{
    private static readonly EntityTagHeaderValue ETag = new("\"abc123\"");

    [Theory]
    [InlineData(0L, 9L, 100L, 0L, 10L)]
    [InlineData(10L, 19L, 100L, 10L, 10L)]
    [InlineData(99L, 99L, 100L, 99L, 1L)]
    [InlineData(0L, 0L, 1L, 0L, 1L)]
    [InlineData(50L, 500L, 100L, 50L, 50L)]
    [InlineData(0L, 99L, 100L, 0L, 100L)]
    public void Resolves_a_from_to_range(long from, long to, long length, long expectedStart, long expectedCount)
    {
        Assert.True(ByteRange.TryResolve(new RangeItemHeaderValue(from, to), length, out var start, out var count));

        Assert.Equal(expectedStart, start);
        Assert.Equal(expectedCount, count);
    }

    [Theory]
    [InlineData(0L, 100L, 0L, 100L)]
    [InlineData(40L, 100L, 40L, 60L)]
    [InlineData(99L, 100L, 99L, 1L)]
    public void Resolves_an_open_ended_range(long from, long length, long expectedStart, long expectedCount)
    {
        Assert.True(ByteRange.TryResolve(new RangeItemHeaderValue(from, null), length, out var start, out var count));

        Assert.Equal(expectedStart, start);
        Assert.Equal(expectedCount, count);
    }

    [Theory]
    [InlineData(1L, 100L, 99L, 1L)]
    [InlineData(10L, 100L, 90L, 10L)]
    [InlineData(100L, 100L, 0L, 100L)]
    public void Resolves_a_suffix_range(long suffix, long length, long expectedStart, long expectedCount)
    {
        Assert.True(ByteRange.TryResolve(new RangeItemHeaderValue(null, suffix), length, out var start, out var count));

        Assert.Equal(expectedStart, start);
        Assert.Equal(expectedCount, count);
    }

    [Fact]
    public void A_suffix_longer_than_the_file_gives_the_whole_file()
    {
        Assert.True(ByteRange.TryResolve(new RangeItemHeaderValue(null, 500), 100, out var start, out var count));

        Assert.Equal(0, start);
        Assert.Equal(100, count);
    }

    [Fact]
    public void A_zero_suffix_is_unsatisfiable() =>
        Assert.False(ByteRange.TryResolve(new RangeItemHeaderValue(null, 0), 100, out _, out _));

    [Theory]
    [InlineData(100L, null)]
    [InlineData(100L, 200L)]
    [InlineData(1000L, null)]
    public void A_start_at_or_beyond_the_length_is_unsatisfiable(long from, long? to) =>
        Assert.False(ByteRange.TryResolve(new RangeItemHeaderValue(from, to), 100, out _, out _));

    [Theory]
    [InlineData(0L, null)]
    [InlineData(0L, 0L)]
    [InlineData(0L, 10L)]
    [InlineData(null, 10L)]
    public void Every_range_of_a_zero_length_file_is_unsatisfiable(long? from, long? to) =>
        Assert.False(ByteRange.TryResolve(new RangeItemHeaderValue(from, to), 0, out _, out _));

    [Fact]
    public void Requested_reads_a_single_bytes_range()
    {
        var range = ByteRange.Requested(Request("bytes=5-9"), ETag);

        Assert.NotNull(range);
        Assert.Equal(5, range.From);
        Assert.Equal(9, range.To);
    }

    [Fact]
    public void Requested_reads_a_suffix_range()
    {
        var range = ByteRange.Requested(Request("bytes=-5"), ETag);

        Assert.NotNull(range);
        Assert.Null(range.From);
        Assert.Equal(5, range.To);
    }

    [Fact]
    public void Requested_accepts_the_unit_in_any_case() =>
        Assert.NotNull(ByteRange.Requested(Request("Bytes=0-1"), ETag));

    [Fact]
    public void Requested_is_null_without_a_range_header() =>
        Assert.Null(ByteRange.Requested(Request(null), ETag));

    [Fact]
    public void Requested_is_null_for_multiple_ranges() =>
        Assert.Null(ByteRange.Requested(Request("bytes=0-1,5-9"), ETag));

    [Fact]
    public void Requested_is_null_for_a_unit_other_than_bytes() =>
        Assert.Null(ByteRange.Requested(Request("items=0-1"), ETag));

    [Theory]
    [InlineData("bytes")]
    [InlineData("bytes=")]
    [InlineData("bytes=abc")]
    [InlineData("bytes=9-5")]
    [InlineData("0-5")]
    public void Requested_is_null_for_a_malformed_range(string header) =>
        Assert.Null(ByteRange.Requested(Request(header), ETag));

    [Fact]
    public void Requested_honours_a_matching_If_Range()
    {
        var range = ByteRange.Requested(Request("bytes=0-9", ifRange: "\"abc123\""), ETag);

        Assert.NotNull(range);
        Assert.Equal(0, range.From);
        Assert.Equal(9, range.To);
    }

    [Theory]
    [InlineData("\"other\"")]
    [InlineData("W/\"abc123\"")]
    [InlineData("Wed, 21 Oct 2015 07:28:00 GMT")]
    [InlineData("garbage")]
    public void Requested_is_null_for_a_non_matching_If_Range(string ifRange) =>
        Assert.Null(ByteRange.Requested(Request("bytes=0-9", ifRange), ETag));

    private static HttpRequest Request(string? range, string? ifRange = null)
    {
        var context = new DefaultHttpContext();
        if (range is not null)
        {
            context.Request.Headers.Range = range;
        }

        if (ifRange is not null)
        {
            context.Request.Headers.IfRange = ifRange;
        }

        return context.Request;
    }
}
