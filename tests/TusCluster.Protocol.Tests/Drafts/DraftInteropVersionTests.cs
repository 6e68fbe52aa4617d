using TusCluster.Protocol.Drafts;

namespace TusCluster.Protocol.Tests.Drafts;

public sealed class DraftInteropVersionTests
{
    [Theory]
    [InlineData("3", 3)]
    [InlineData("8", 8)]
    [InlineData(" 6 ", 6)]
    public void A_version_spoken_here_is_found(string value, int number) =>
        Assert.Equal(number, DraftInteropVersion.Parse(value)?.Number);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("9")]
    [InlineData("-5")]
    [InlineData("+5")]
    [InlineData("5.0")]
    [InlineData("05x")]
    [InlineData("99999999999999999999")]
    public void Anything_else_is_none(string? value) => Assert.Null(DraftInteropVersion.Parse(value));

    [Fact]
    public void The_versions_differ_where_the_drafts_do()
    {
        var v3 = DraftInteropVersion.Parse("3")!;
        var v5 = DraftInteropVersion.Parse("5")!;
        var v6 = DraftInteropVersion.Parse("6")!;
        var v7 = DraftInteropVersion.Parse("7")!;

        Assert.True(v3.IncompleteHeader);
        Assert.False(DraftInteropVersion.Parse("4")!.IncompleteHeader);
        Assert.Null(v5.AppendMediaType);
        Assert.Equal("application/partial-upload", v6.AppendMediaType);
        Assert.False(v5.HasLimitsProblemsAndDigests);
        Assert.True(v6.HasLimitsProblemsAndDigests);
        Assert.False(v6.HasInconsistentLengthProblem);
        Assert.True(v7.HasInconsistentLengthProblem);
        Assert.Equal("expires", v6.LifetimeLimitKey);
        Assert.Equal("max-age", v7.LifetimeLimitKey);
    }
}
