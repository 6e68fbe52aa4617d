using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Tests.Uploads;

public sealed class UploadIdTests
{
    [Fact]
    public void New_gives_32_lowercase_hex_characters()
    {
        var id = UploadId.New();

        Assert.Equal(UploadId.Length, id.Length);
        Assert.Equal(32, id.Length);
        Assert.All(id, c => Assert.True(c is (>= '0' and <= '9') or (>= 'a' and <= 'f'), $"unexpected '{c}' in {id}"));
        Assert.True(UploadId.IsValid(id));
    }

    [Fact]
    public void New_gives_distinct_ids()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 1000; i++)
        {
            ids.Add(UploadId.New());
        }

        Assert.Equal(1000, ids.Count);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("ffffffffffffffffffffffffffffffff")]
    public void IsValid_accepts_32_lowercase_hex_characters(string id) =>
        Assert.True(UploadId.IsValid(id));

    [Theory]
    [InlineData("")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("0123456789abcdef0123456789abcdeF")]
    [InlineData("0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef0123456789abcdef0")]
    [InlineData("..")]
    [InlineData("/")]
    [InlineData("%2F")]
    [InlineData("0123456789abcdef0123456789abcde/")]
    [InlineData("0123456789abcdef0123456789abc%2F")]
    [InlineData("..23456789abcdef0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdeg")]
    [InlineData(" 123456789abcdef0123456789abcdef")]
    [InlineData("０123456789abcdef0123456789abcdef")]
    public void IsValid_rejects_anything_else(string id) =>
        Assert.False(UploadId.IsValid(id));

    [Fact]
    public void The_reserved_id_is_well_formed_but_never_an_upload()
    {
        Assert.True(UploadId.IsValid(UploadId.Reserved));
        Assert.False(UploadId.IsUpload(UploadId.Reserved));
        Assert.True(UploadId.IsUpload("0123456789abcdef0123456789abcdef"));
        Assert.False(UploadId.IsUpload("0123456789ABCDEF0123456789ABCDEF"));
    }
}
