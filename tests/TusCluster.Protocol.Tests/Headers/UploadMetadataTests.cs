using System.Text;
using TusCluster.Protocol.Headers;

namespace TusCluster.Protocol.Tests.Headers;

public sealed class UploadMetadataTests
{
    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static UploadMetadata ParseValid(string header)
    {
        Assert.True(UploadMetadata.TryParse(header, out var metadata, out var error), $"rejected '{header}': {error}");
        Assert.Equal(string.Empty, error);
        return metadata;
    }

    private static string ParseInvalid(string header)
    {
        Assert.False(UploadMetadata.TryParse(header, out var metadata, out var error), $"accepted '{header}'");
        Assert.Same(UploadMetadata.Empty, metadata);
        Assert.False(string.IsNullOrEmpty(error));
        return error;
    }

    [Fact]
    public void Parses_a_single_pair()
    {
        var metadata = ParseValid("filename " + B64("report.pdf"));

        Assert.Equal(["filename"], metadata.Keys);
        Assert.Equal("report.pdf", metadata.GetString("filename"));
    }

    [Fact]
    public void Parses_many_pairs()
    {
        var metadata = ParseValid($"filename {B64("a.txt")},filetype {B64("text/plain")},size {B64("12")}");

        Assert.Equal(["filename", "filetype", "size"], metadata.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("a.txt", metadata.GetString("filename"));
        Assert.Equal("text/plain", metadata.GetString("filetype"));
        Assert.Equal("12", metadata.GetString("size"));
    }

    [Fact]
    public void A_key_without_value_has_an_empty_value()
    {
        var metadata = ParseValid($"is_confidential,filename {B64("x")}");

        Assert.Contains("is_confidential", metadata.Keys);
        Assert.Equal(string.Empty, metadata.GetString("is_confidential"));
        Assert.Equal("x", metadata.GetString("filename"));
    }

    [Fact]
    public void A_key_followed_by_a_space_and_nothing_has_an_empty_value()
    {
        var metadata = ParseValid($"filename {B64("x")},empty ");

        Assert.Equal(string.Empty, metadata.GetString("empty"));
    }

    [Fact]
    public void Spaces_after_commas_are_ignored()
    {
        var metadata = ParseValid($"a {B64("1")}, b {B64("2")},   c");

        Assert.Equal("1", metadata.GetString("a"));
        Assert.Equal("2", metadata.GetString("b"));
        Assert.Equal(string.Empty, metadata.GetString("c"));
    }

    [Fact]
    public void Keys_are_case_sensitive()
    {
        var metadata = ParseValid($"name {B64("lower")},Name {B64("upper")}");

        Assert.Equal("lower", metadata.GetString("name"));
        Assert.Equal("upper", metadata.GetString("Name"));
    }

    [Theory]
    [InlineData("Grüße aus Köln.txt")]
    [InlineData("日本語のファイル名")]
    [InlineData("emoji 🎉 name")]
    public void Unicode_values_are_decoded_by_GetString(string value)
    {
        var metadata = ParseValid("filename " + B64(value));

        Assert.Equal(value, metadata.GetString("filename"));
    }

    [Fact]
    public void GetString_returns_null_for_invalid_utf8()
    {
        var invalidUtf8 = Convert.ToBase64String([0x66, 0xC3, 0x28, 0xFF]);
        var metadata = ParseValid("blob " + invalidUtf8);

        Assert.Contains("blob", metadata.Keys);
        Assert.Null(metadata.GetString("blob"));
    }

    [Fact]
    public void GetString_returns_null_for_an_absent_key()
    {
        var metadata = ParseValid("filename " + B64("x"));

        Assert.Null(metadata.GetString("missing"));
        Assert.Null(metadata.GetString("FILENAME"));
    }

    [Fact]
    public void Empty_has_no_keys()
    {
        Assert.Empty(UploadMetadata.Empty.Keys);
        Assert.Null(UploadMetadata.Empty.GetString("filename"));
    }

    [Theory]
    [InlineData(",")]
    [InlineData("")]
    [InlineData("a,,b")]
    [InlineData("a, ,b")]
    [InlineData("a,")]
    [InlineData(",a")]
    public void An_empty_pair_is_rejected(string header) =>
        Assert.Contains("empty pair", ParseInvalid(header), StringComparison.Ordinal);

    [Fact]
    public void A_duplicate_key_is_rejected_and_named()
    {
        var error = ParseInvalid($"filename {B64("a")},filename {B64("b")}");

        Assert.Contains("'filename' twice", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_key_without_values_is_rejected()
    {
        var error = ParseInvalid("flag,flag");

        Assert.Contains("'flag' twice", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("filename !!!!")]
    [InlineData("filename dmFsdWU")]
    [InlineData("filename dmFsdWU===")]
    [InlineData("filename d")]
    [InlineData("filename ä")]
    [InlineData("filename ====")]
    public void A_value_that_is_not_base64_is_rejected_and_names_the_key(string header)
    {
        var error = ParseInvalid(header);

        Assert.Contains("'filename'", error, StringComparison.Ordinal);
        Assert.Contains("base64", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_with_an_inner_space_is_rejected()
    {
        // "dmFs dWU=" would decode if the space were ignored, as Convert does with whitespace.
        var error = ParseInvalid("filename dmFs dWU=");

        Assert.Contains("'filename'", error, StringComparison.Ordinal);
        Assert.Contains("base64", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_with_an_inner_tab_is_rejected()
    {
        // Same as the inner space: the value is not one base64 token.
        var error = ParseInvalid("filename dmFs\tdWU=");

        Assert.Contains("'filename'", error, StringComparison.Ordinal);
        Assert.Contains("base64", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fïlename dmFs")]
    [InlineData("名前 dmFs")]
    [InlineData("file\u0001name dmFs")]
    [InlineData("file\u007Fname dmFs")]
    [InlineData("file\tname dmFs")]
    [InlineData("file\nname")]
    public void A_key_with_non_ascii_or_control_characters_is_rejected(string header) =>
        Assert.Contains("invalid key", ParseInvalid(header), StringComparison.Ordinal);
}
