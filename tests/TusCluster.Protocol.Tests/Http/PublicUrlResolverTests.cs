using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Http;

namespace TusCluster.Protocol.Tests.Http;

public sealed class PublicUrlResolverTests
{
    private const string Id = "0123456789abcdef0123456789abcdef";
    private const string Direct = $"http://internal:8080/files/{Id}";

    private static readonly (string, string)[] XForwarded =
    [
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Host", "public.example.com"),
        ("X-Forwarded-Prefix", "/api"),
    ];

    private static readonly (string, string)[] Forwarded = [("Forwarded", "for=198.51.100.7;proto=https;host=public.example.com")];

    private static PublicUrlResolver Resolver(string[]? trustedProxies = null, string? publicBaseUrl = null, string basePath = "/files/") =>
        new(Options.Create(new TusProtocolOptions
        {
            BasePath = basePath,
            TrustedProxies = trustedProxies,
            PublicBaseUrl = publicBaseUrl,
        }));

    private static DefaultHttpContext Context(string? remote, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("internal:8080");
        context.Connection.RemoteIpAddress = remote is null ? null : IPAddress.Parse(remote);
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return context;
    }

    [Fact]
    public void Uses_the_request_scheme_and_host_without_proxies()
    {
        Assert.Equal(Direct, Resolver().UploadUrl(Context("10.0.0.1"), Id));
    }

    [Fact]
    public void Uses_the_configured_base_path()
    {
        Assert.Equal($"http://internal:8080/uploads/v1/{Id}", Resolver(basePath: "/uploads/v1/").UploadUrl(Context("10.0.0.1"), Id));
    }

    [Fact]
    public void Falls_back_to_localhost_without_a_host()
    {
        // An HTTP/1.0 request may come without a Host header.
        var context = Context("10.0.0.1");
        context.Request.Headers.Remove("Host");
        Assert.False(context.Request.Host.HasValue);

        Assert.Equal($"http://localhost/files/{Id}", Resolver().UploadUrl(context, Id));
    }

    [Fact]
    public void Ignores_forwarded_headers_when_no_proxy_is_trusted()
    {
        Assert.Equal(Direct, Resolver().UploadUrl(Context("10.0.0.1", XForwarded), Id));
        Assert.Equal(Direct, Resolver().UploadUrl(Context("10.0.0.1", Forwarded), Id));
    }

    [Fact]
    public void Ignores_X_Forwarded_headers_from_an_untrusted_remote()
    {
        var resolver = Resolver(["10.0.0.1", "10.1.0.0/16"]);

        Assert.Equal(Direct, resolver.UploadUrl(Context("192.0.2.5", XForwarded), Id));
        Assert.Equal(Direct, resolver.UploadUrl(Context("10.2.0.1", XForwarded), Id));
    }

    [Fact]
    public void Ignores_the_Forwarded_header_from_an_untrusted_remote()
    {
        Assert.Equal(Direct, Resolver(["10.0.0.1"]).UploadUrl(Context("10.0.0.2", Forwarded), Id));
    }

    [Fact]
    public void Ignores_forwarded_headers_without_a_remote_address()
    {
        Assert.Equal(Direct, Resolver(["10.0.0.1"]).UploadUrl(Context(null, XForwarded), Id));
    }

    [Fact]
    public void Honours_X_Forwarded_headers_from_a_trusted_ip()
    {
        Assert.Equal(
            $"https://public.example.com/api/files/{Id}",
            Resolver(["10.0.0.1"]).UploadUrl(Context("10.0.0.1", XForwarded), Id));
    }

    [Fact]
    public void Honours_the_Forwarded_header_from_a_trusted_ip()
    {
        Assert.Equal(
            $"https://public.example.com/files/{Id}",
            Resolver(["10.0.0.1"]).UploadUrl(Context("10.0.0.1", Forwarded), Id));
    }

    [Fact]
    public void Honours_forwarded_headers_from_a_trusted_cidr()
    {
        var resolver = Resolver(["10.0.0.0/8"]);

        Assert.Equal($"https://public.example.com/api/files/{Id}", resolver.UploadUrl(Context("10.200.3.4", XForwarded), Id));
        Assert.Equal($"https://public.example.com/files/{Id}", resolver.UploadUrl(Context("10.200.3.4", Forwarded), Id));
    }

    [Fact]
    public void Honours_forwarded_headers_from_a_trusted_ipv6_network()
    {
        Assert.Equal(
            $"https://public.example.com/api/files/{Id}",
            Resolver(["2001:db8::/32"]).UploadUrl(Context("2001:db8::17", XForwarded), Id));
    }

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("10.1.2.3")]
    public void An_ipv4_mapped_ipv6_remote_matches_an_ipv4_trust_entry(string trusted)
    {
        Assert.Equal(
            $"https://public.example.com/api/files/{Id}",
            Resolver([trusted]).UploadUrl(Context("::ffff:10.1.2.3", XForwarded), Id));
    }

    [Fact]
    public void An_ipv4_mapped_trust_entry_matches_the_same_remote()
    {
        // Dual-stack sockets report IPv4 peers as ::ffff:a.b.c.d, which is what an operator copies from the logs.
        Assert.Equal(
            $"https://public.example.com/api/files/{Id}",
            Resolver(["::ffff:10.1.2.3"]).UploadUrl(Context("::ffff:10.1.2.3", XForwarded), Id));
    }

    [Fact]
    public void Forwarded_takes_precedence_over_X_Forwarded()
    {
        var context = Context(
            "10.0.0.1",
            ("Forwarded", "proto=https;host=from-forwarded.example"),
            ("X-Forwarded-Proto", "http"),
            ("X-Forwarded-Host", "from-x-forwarded.example"));

        Assert.Equal($"https://from-forwarded.example/files/{Id}", Resolver(["10.0.0.1"]).UploadUrl(context, Id));
    }

    [Fact]
    public void Uses_the_first_of_several_X_Forwarded_values()
    {
        var context = Context(
            "10.0.0.1",
            ("X-Forwarded-Proto", "https, http"),
            ("X-Forwarded-Host", "first.example, second.example"),
            ("X-Forwarded-Prefix", "/one/, /two"));

        Assert.Equal($"https://first.example/one/files/{Id}", Resolver(["10.0.0.1"]).UploadUrl(context, Id));
    }

    [Theory]
    [InlineData("ftp")]
    [InlineData("javascript")]
    [InlineData("https://evil.com")]
    public void An_invalid_forwarded_proto_is_ignored(string proto)
    {
        var resolver = Resolver(["10.0.0.1"]);

        Assert.Equal(Direct, resolver.UploadUrl(Context("10.0.0.1", ("X-Forwarded-Proto", proto)), Id));
        Assert.Equal(Direct, resolver.UploadUrl(Context("10.0.0.1", ("Forwarded", $"proto={proto}")), Id));
    }

    [Theory]
    [InlineData("evil.com/x")]
    [InlineData("a b")]
    [InlineData("user@evil.com")]
    [InlineData("evil.com?x")]
    public void An_invalid_forwarded_host_is_ignored(string host)
    {
        var resolver = Resolver(["10.0.0.1"]);

        Assert.Equal(Direct, resolver.UploadUrl(Context("10.0.0.1", ("X-Forwarded-Host", host)), Id));
        Assert.Equal(Direct, resolver.UploadUrl(Context("10.0.0.1", ("Forwarded", $"host=\"{host}\"")), Id));
    }

    [Theory]
    [InlineData("/../x")]
    [InlineData("//evil.com")]
    [InlineData("api")]
    [InlineData("/a b")]
    [InlineData("/")]
    public void An_invalid_forwarded_prefix_is_ignored(string prefix)
    {
        Assert.Equal(Direct, Resolver(["10.0.0.1"]).UploadUrl(Context("10.0.0.1", ("X-Forwarded-Prefix", prefix)), Id));
    }

    [Fact]
    public void A_trailing_slash_of_the_forwarded_prefix_is_dropped()
    {
        Assert.Equal(
            $"http://internal:8080/api/files/{Id}",
            Resolver(["10.0.0.1"]).UploadUrl(Context("10.0.0.1", ("X-Forwarded-Prefix", "/api/")), Id));
    }

    [Theory]
    [InlineData("https://uploads.example.com")]
    [InlineData("https://uploads.example.com/")]
    public void PublicBaseUrl_overrides_the_request(string publicBaseUrl)
    {
        Assert.Equal($"https://uploads.example.com/files/{Id}", Resolver(publicBaseUrl: publicBaseUrl).UploadUrl(Context("10.0.0.1"), Id));
    }

    [Fact]
    public void PublicBaseUrl_overrides_forwarded_headers_from_a_trusted_proxy()
    {
        var resolver = Resolver(["10.0.0.1"], "https://uploads.example.com");

        Assert.Equal($"https://uploads.example.com/files/{Id}", resolver.UploadUrl(Context("10.0.0.1", XForwarded), Id));
        Assert.Equal($"https://uploads.example.com/files/{Id}", resolver.UploadUrl(Context("10.0.0.1", Forwarded), Id));
    }
}
