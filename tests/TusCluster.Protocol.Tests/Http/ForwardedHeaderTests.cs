using TusCluster.Protocol.Http;

namespace TusCluster.Protocol.Tests.Http;

public sealed class ForwardedHeaderTests
{
    [Fact]
    public void Parses_proto_and_host()
    {
        var (proto, host) = ForwardedHeader.Parse("for=1.2.3.4;proto=https;host=example.com");

        Assert.Equal("https", proto);
        Assert.Equal("example.com", host);
    }

    [Fact]
    public void Parses_quoted_values()
    {
        var (proto, host) = ForwardedHeader.Parse("for=\"[2001:db8::1]:4711\";proto=\"https\";host=\"example.com:8443\"");

        Assert.Equal("https", proto);
        Assert.Equal("example.com:8443", host);
    }

    [Fact]
    public void Tolerates_spaces_and_any_case_of_parameter_names()
    {
        var (proto, host) = ForwardedHeader.Parse(" For=1.2.3.4 ; Proto=HTTPS ; HOST=example.com ");

        Assert.Equal("https", proto);
        Assert.Equal("example.com", host);
    }

    [Fact]
    public void The_first_element_wins()
    {
        var (proto, host) = ForwardedHeader.Parse("proto=https;host=first.example, proto=http;host=second.example");

        Assert.Equal("https", proto);
        Assert.Equal("first.example", host);
    }

    [Fact]
    public void Later_elements_do_not_fill_in_what_the_first_lacks()
    {
        var (proto, host) = ForwardedHeader.Parse("for=1.2.3.4, proto=https;host=second.example");

        Assert.Null(proto);
        Assert.Null(host);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_header_gives_nothing(string header)
    {
        var (proto, host) = ForwardedHeader.Parse(header);

        Assert.Null(proto);
        Assert.Null(host);
    }

    [Theory]
    [InlineData("for=1.2.3.4")]
    [InlineData("garbage")]
    [InlineData("=https;=example.com")]
    [InlineData(";;;")]
    public void A_header_without_proto_or_host_gives_nothing(string header)
    {
        var (proto, host) = ForwardedHeader.Parse(header);

        Assert.Null(proto);
        Assert.Null(host);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("example.com:8443")]
    [InlineData("uploads.example-1.com")]
    [InlineData("localhost")]
    [InlineData("10.0.0.1")]
    [InlineData("10.0.0.1:8080")]
    [InlineData("[2001:db8::1]")]
    [InlineData("[2001:db8::1]:8443")]
    public void IsValidHost_accepts_hostnames_and_ip_literals(string host) =>
        Assert.True(ForwardedHeader.IsValidHost(host));

    [Theory]
    [InlineData("")]
    [InlineData("evil.com/x")]
    [InlineData("a b")]
    [InlineData("//")]
    [InlineData("..")]
    [InlineData("evil.com?x=1")]
    [InlineData("evil.com#x")]
    [InlineData("user@evil.com")]
    [InlineData("evil.com\\x")]
    [InlineData("exämple.com")]
    [InlineData("evil.com\r\nSet-Cookie:x")]
    [InlineData("\"example.com\"")]
    public void IsValidHost_rejects_anything_that_could_change_the_url(string host) =>
        Assert.False(ForwardedHeader.IsValidHost(host));

    [Fact]
    public void IsValidHost_rejects_overlong_hosts()
    {
        Assert.True(ForwardedHeader.IsValidHost(new string('a', 255)));
        Assert.False(ForwardedHeader.IsValidHost(new string('a', 256)));
    }

    [Theory]
    [InlineData("/api")]
    [InlineData("/api/v1")]
    [InlineData("/a.b-c_d~e")]
    [InlineData("/tenant/Files2")]
    public void IsValidPathPrefix_accepts_plain_paths(string prefix) =>
        Assert.True(ForwardedHeader.IsValidPathPrefix(prefix));

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("api")]
    [InlineData("evil.com/x")]
    [InlineData("a b")]
    [InlineData("/a b")]
    [InlineData("..")]
    [InlineData("/..")]
    [InlineData("/api/../x")]
    [InlineData("//")]
    [InlineData("//evil.com")]
    [InlineData("/api//x")]
    [InlineData("/api?x=1")]
    [InlineData("/api#x")]
    [InlineData("/api%2F")]
    [InlineData("/api\\x")]
    [InlineData("/äpi")]
    public void IsValidPathPrefix_rejects_anything_but_a_plain_path(string prefix) =>
        Assert.False(ForwardedHeader.IsValidPathPrefix(prefix));

    [Fact]
    public void IsValidPathPrefix_rejects_overlong_prefixes()
    {
        Assert.True(ForwardedHeader.IsValidPathPrefix("/" + new string('a', 199)));
        Assert.False(ForwardedHeader.IsValidPathPrefix("/" + new string('a', 200)));
    }
}
