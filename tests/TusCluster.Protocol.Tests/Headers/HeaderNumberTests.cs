using TusCluster.Protocol.Headers;

namespace TusCluster.Protocol.Tests.Headers;

public sealed class HeaderNumberTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1024", 1024L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Accepts_plain_non_negative_integers(string value, long expected)
    {
        Assert.True(HeaderNumber.TryParseNonNegative(value, out var parsed));
        Assert.Equal(expected, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1e3")]
    [InlineData("0x10")]
    [InlineData("abc")]
    [InlineData("9223372036854775808")]
    [InlineData("99999999999999999999")]
    [InlineData("１２")]
    public void Rejects_anything_else(string? value) =>
        Assert.False(HeaderNumber.TryParseNonNegative(value, out _));
}
