using TusCluster.LoadDriver.Commands;
using TusCluster.LoadDriver.Scenarios;

namespace TusCluster.LoadDriver.Tests.Commands;

public sealed class ParsingTests
{
    [Theory]
    [InlineData("1024", 1024)]
    [InlineData("64KiB", 64 * 1024)]
    [InlineData("1MiB", 1 << 20)]
    [InlineData("1.5MiB", 3 << 19)]
    [InlineData("10MB", 10_000_000)]
    [InlineData("2GiB", 2L << 30)]
    [InlineData("4k", 4096)]
    [InlineData("7B", 7)]
    public void Sizes_parse_in_binary_and_decimal_units(string text, long expected)
    {
        Assert.True(ByteSize.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("MiB")]
    [InlineData("12QB")]
    public void Nonsense_is_not_a_size(string text) => Assert.False(ByteSize.TryParse(text, out _));

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("00:00:10", 10_000)]
    public void Durations_parse_as_k6_or_TimeSpan_text(string text, double milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(milliseconds, duration.TotalMilliseconds);
    }

    [Fact]
    public void The_scenario_names_are_the_ones_the_k6_scripts_use() =>
        Assert.Equal(["create-and-patch", "resume", "small-files", "parallel-large", "concatenation"], ScenarioNames.All);

    [Fact]
    public void Rebasing_keeps_the_upload_path_and_takes_the_endpoint_authority()
    {
        var rebased = EndpointSelector.Rebase(new Uri("http://replica-a:8080/files/0123abcd?x=1"), new Uri("https://balancer:9443/files/"));

        Assert.Equal(new Uri("https://balancer:9443/files/0123abcd?x=1"), rebased);
    }

    [Fact]
    public void Random_selection_reaches_every_endpoint_and_sticky_selection_one()
    {
        Uri[] endpoints = [new("http://a:1/files/"), new("http://b:2/files/")];
        var random = new EndpointSelector(endpoints, random: true);
        var sticky = new EndpointSelector(endpoints, random: false);
        var upload = new Uri("http://a:1/files/abc");

        var hosts = Enumerable.Range(0, 200).Select(_ => random.UploadUrl(upload).Host).ToHashSet();

        Assert.Equal(["a", "b"], hosts.Order());
        Assert.Equal(upload, sticky.UploadUrl(upload));
        Assert.Equal(endpoints[1], sticky.CreationUrl(vu: 3));
    }
}
