using TusCluster.Protocol.Headers;

namespace TusCluster.Protocol.Tests.Headers;

public sealed class UploadConcatHeaderTests
{
    private const string BasePath = "/files/";
    private const string IdA = "0123456789abcdef0123456789abcdef";
    private const string IdB = "fedcba9876543210fedcba9876543210";
    private const int Max = UploadConcatHeader.MaxPartials;
    private static readonly UploadUrlScope Scope = new(["uploads.example.com", "localhost", "example.com"], [BasePath]);

    [Theory]
    [InlineData("partial", true)]
    [InlineData("Partial", false)]
    [InlineData("partial;", false)]
    [InlineData(" partial", false)]
    [InlineData("final;/files/x", false)]
    [InlineData("", false)]
    public void Detects_partial(string value, bool expected) =>
        Assert.Equal(expected, UploadConcatHeader.IsPartial(value));

    [Theory]
    [InlineData("final;/files/x", true)]
    [InlineData("final;", true)]
    [InlineData("final", false)]
    [InlineData("Final;/files/x", false)]
    [InlineData("partial", false)]
    [InlineData("", false)]
    public void Detects_final(string value, bool expected) =>
        Assert.Equal(expected, UploadConcatHeader.IsFinal(value));

    [Fact]
    public void Parses_relative_paths()
    {
        Assert.True(UploadConcatHeader.TryParseFinal($"final;/files/{IdA} /files/{IdB}", Scope, Max, out var ids, out var error), error);

        Assert.Equal([IdA, IdB], ids);
        Assert.Equal(string.Empty, error);
    }

    [Fact]
    public void Parses_absolute_urls()
    {
        var value = $"final;https://uploads.example.com/files/{IdA} http://localhost:8080/files/{IdB}";

        Assert.True(UploadConcatHeader.TryParseFinal(value, Scope, Max, out var ids, out var error), error);

        Assert.Equal([IdA, IdB], ids);
    }

    [Fact]
    public void Accepts_urls_behind_a_trusted_proxys_path_prefix()
    {
        var value = $"final;https://example.com/api/files/{IdA} /api/files/{IdB} /files/{IdA}";
        var behindProxy = Scope with { Paths = [BasePath, "/api" + BasePath] };

        Assert.True(UploadConcatHeader.TryParseFinal(value, behindProxy, Max, out var ids, out var error), error);

        Assert.Equal([IdA, IdB, IdA], ids);
    }

    [Theory]
    [InlineData($"final;/api/files/{IdA}")]
    [InlineData($"final;https://example.com/api/files/{IdA}")]
    [InlineData($"final;/files/files/{IdA}")]
    [InlineData($"final;/files/{IdB}/files/{IdA}")]
    public void Rejects_a_path_that_only_ends_with_the_base_path(string value) => AssertRejectedUrl(value);

    [Theory]
    [InlineData($"final;https://uploads.example.org/files/{IdA}")]
    [InlineData($"final;http://127.0.0.1/files/{IdA}")]
    [InlineData($"final;https://example.com.evil.test/files/{IdA}")]
    [InlineData($"final;https://user@example.com/files/{IdA}")]
    [InlineData($"final;ftp://example.com/files/{IdA}")]
    [InlineData($"final;http://xn--zz-.com/files/{IdA}")]
    [InlineData($"final;http://xn--.com/files/{IdA}")]
    public void Rejects_urls_on_another_host(string value) => AssertRejectedUrl(value);

    [Theory]
    [InlineData($"final;https://EXAMPLE.com/files/{IdA}")]
    [InlineData($"final;https://example.com:8443/files/{IdA}")]
    [InlineData($"final;http://example.com/files/{IdA}")]
    public void Compares_hosts_without_case_port_or_scheme(string value)
    {
        Assert.True(UploadConcatHeader.TryParseFinal(value, Scope, Max, out var ids, out var error), error);

        Assert.Equal([IdA], ids);
    }

    [Theory]
    [InlineData($"final;http://xn--80ak6aa92e.com/files/{IdA}")]
    [InlineData($"final;http://аррӏе.com/files/{IdA}")] // the Unicode form of xn--80ak6aa92e
    public void Compares_international_hosts_in_their_ascii_form(string value)
    {
        Assert.True(UploadConcatHeader.TryParseFinal(value, new UploadUrlScope(["xn--80ak6aa92e.com"], [BasePath]), Max, out var ids, out var error), error);

        Assert.Equal([IdA], ids);
    }

    [Theory]
    [InlineData($"final;/files/{IdA},/files/{IdB}")]
    [InlineData($"final;/files/{IdA}, /files/{IdB}")]
    [InlineData($"final;/files/{IdA} ,/files/{IdB}")]
    [InlineData($"final;/files/{IdA}\t/files/{IdB}")]
    public void Rejects_urls_separated_by_anything_but_spaces(string value)
    {
        // Issue 12, item 4: "final;/files/A,/files/B" made a final upload of B alone.
        Assert.False(UploadConcatHeader.TryParseFinal(value, Scope, Max, out var ids, out var error));

        Assert.Empty(ids);
        Assert.Contains("spaces", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_the_reserved_id()
    {
        AssertRejectedUrl("final;/files/00000000000000000000000000000000");
    }

    [Fact]
    public void Counts_each_listing_against_the_configured_maximum()
    {
        Assert.True(UploadConcatHeader.TryParseFinal($"final;/files/{IdA} /files/{IdA} /files/{IdA}", Scope, 3, out var three, out _));
        Assert.False(UploadConcatHeader.TryParseFinal($"final;/files/{IdA} /files/{IdA} /files/{IdA} /files/{IdA}", Scope, 3, out var four, out var error));

        Assert.Equal(3, three.Count);
        Assert.Empty(four);
        Assert.Contains("between 1 and 3", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Ignores_extra_spaces_between_urls()
    {
        Assert.True(UploadConcatHeader.TryParseFinal($"final;  /files/{IdA}   /files/{IdB} ", Scope, Max, out var ids, out _));

        Assert.Equal([IdA, IdB], ids);
    }

    [Fact]
    public void Keeps_the_order_of_the_header()
    {
        Assert.True(UploadConcatHeader.TryParseFinal($"final;/files/{IdB} /files/{IdA} /files/{IdB}", Scope, Max, out var ids, out _));

        Assert.Equal([IdB, IdA, IdB], ids);
    }

    [Theory]
    [InlineData($"final;/uploads/{IdA}")]
    [InlineData($"final;https://example.com/uploads/{IdA}")]
    [InlineData($"final;/files/{IdA} /other/{IdB}")]
    [InlineData($"final;{IdA}")]
    [InlineData($"final;files/{IdA}")]
    [InlineData($"final;https://example.com/{IdA}")]
    public void Rejects_urls_outside_the_base_path(string value) => AssertRejectedUrl(value);

    [Theory]
    [InlineData("final;/files/0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("final;/files/0123456789abcdef0123456789abcde")]
    [InlineData("final;/files/0123456789abcdef0123456789abcdef0")]
    [InlineData("final;/files/")]
    [InlineData("final;/files/..")]
    [InlineData("final;https://example.com/files/..")]
    [InlineData($"final;/files/{IdA}/")]
    [InlineData($"final;/files/{IdA}?x=1")]
    [InlineData($"final;/files/{IdA}#frag")]
    [InlineData("final;/files/0123456789abcdef%2F123456789abcdef")]
    [InlineData("final;/files/0123456789abcdef..23456789abcdef")]
    public void Rejects_invalid_ids(string value) => AssertRejectedUrl(value);

    [Fact]
    public void A_dot_dot_segment_cannot_smuggle_another_path()
    {
        // The absolute form normalises "/files/x/.." away; what is left must still be a valid upload url.
        AssertRejectedUrl($"final;https://example.com/files/{IdA}/..");
        AssertRejectedUrl($"final;/files/{IdA}/..");
    }

    [Theory]
    [InlineData("final;")]
    [InlineData("final;   ")]
    public void Rejects_an_empty_list(string value)
    {
        Assert.False(UploadConcatHeader.TryParseFinal(value, Scope, Max, out var ids, out var error));

        Assert.Empty(ids);
        Assert.Contains($"between 1 and {UploadConcatHeader.MaxPartials}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_exactly_MaxPartials()
    {
        var ids = Enumerable.Repeat(IdA, UploadConcatHeader.MaxPartials);

        Assert.True(UploadConcatHeader.TryParseFinal(UploadConcatHeader.FormatFinal(ids, BasePath), Scope, Max, out var parsed, out _));

        Assert.Equal(UploadConcatHeader.MaxPartials, parsed.Count);
    }

    [Fact]
    public void Rejects_more_than_MaxPartials()
    {
        var ids = Enumerable.Repeat(IdA, UploadConcatHeader.MaxPartials + 1);

        Assert.False(UploadConcatHeader.TryParseFinal(UploadConcatHeader.FormatFinal(ids, BasePath), Scope, Max, out var parsed, out var error));

        Assert.Empty(parsed);
        Assert.Contains($"between 1 and {UploadConcatHeader.MaxPartials}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatFinal_writes_paths_under_the_base_path()
    {
        Assert.Equal($"final;/files/{IdA} /files/{IdB}", UploadConcatHeader.FormatFinal([IdA, IdB], BasePath));
    }

    [Theory]
    [InlineData("/files/")]
    [InlineData("/")]
    [InlineData("/api/v1/uploads/")]
    public void FormatFinal_round_trips_through_TryParseFinal(string basePath)
    {
        string[] ids = [IdA, IdB, IdA];
        var header = UploadConcatHeader.FormatFinal(ids, basePath);

        Assert.True(UploadConcatHeader.IsFinal(header));
        Assert.True(UploadConcatHeader.TryParseFinal(header, new UploadUrlScope([], [basePath]), Max, out var parsed, out var error), error);
        Assert.Equal(ids, parsed);
    }

    private static void AssertRejectedUrl(string value)
    {
        Assert.False(UploadConcatHeader.TryParseFinal(value, Scope, Max, out _, out var error), $"accepted '{value}'");
        Assert.Contains("not an upload of this server", error, StringComparison.Ordinal);
    }
}
