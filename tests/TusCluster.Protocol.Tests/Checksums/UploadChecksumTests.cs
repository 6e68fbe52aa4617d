using System.Security.Cryptography;
using System.Text;
using TusCluster.Protocol.Checksums;

namespace TusCluster.Protocol.Tests.Checksums;

public sealed class UploadChecksumTests
{
    private static readonly byte[] Content = Encoding.ASCII.GetBytes("hello tus");

    private static string DigestOf(ChecksumAlgorithm algorithm) =>
        Convert.ToBase64String(CryptographicOperations.HashData(algorithm.HashName, Content));

    public static TheoryData<string> AlgorithmNames => ["sha1", "md5", "sha256"];

    [Theory]
    [MemberData(nameof(AlgorithmNames))]
    public void Parses_each_supported_algorithm(string name)
    {
        var algorithm = ChecksumAlgorithm.FromName(name)!;
        var digest = DigestOf(algorithm);

        var result = UploadChecksum.TryParse($"{name} {digest}", ChecksumAlgorithm.All, out var checksum);

        Assert.Equal(UploadChecksum.ParseError.None, result);
        Assert.NotNull(checksum);
        Assert.Same(algorithm, checksum.Algorithm);
        Assert.Equal(algorithm.DigestLength, checksum.Digest.Length);
        Assert.Equal(Convert.FromBase64String(digest), checksum.Digest);
    }

    [Fact]
    public void Algorithm_names_are_case_insensitive()
    {
        var result = UploadChecksum.TryParse("SHA256 " + DigestOf(ChecksumAlgorithm.Sha256), ChecksumAlgorithm.All, out var checksum);

        Assert.Equal(UploadChecksum.ParseError.None, result);
        Assert.Same(ChecksumAlgorithm.Sha256, checksum!.Algorithm);
    }

    [Theory]
    [InlineData("crc32 AAAAAA==")]
    [InlineData("sha512 AAAA")]
    [InlineData("sha-1 AAAA")]
    public void An_unknown_algorithm_is_unsupported(string value)
    {
        Assert.Equal(UploadChecksum.ParseError.UnsupportedAlgorithm, UploadChecksum.TryParse(value, ChecksumAlgorithm.All, out var checksum));
        Assert.Null(checksum);
    }

    [Fact]
    public void A_known_algorithm_that_is_not_enabled_is_unsupported()
    {
        var value = "md5 " + DigestOf(ChecksumAlgorithm.Md5);

        Assert.Equal(UploadChecksum.ParseError.UnsupportedAlgorithm, UploadChecksum.TryParse(value, [ChecksumAlgorithm.Sha256], out var checksum));
        Assert.Null(checksum);
        Assert.Equal(UploadChecksum.ParseError.None, UploadChecksum.TryParse(value, [ChecksumAlgorithm.Md5], out _));
    }

    [Fact]
    public void Nothing_is_supported_when_no_algorithm_is_enabled() =>
        Assert.Equal(
            UploadChecksum.ParseError.UnsupportedAlgorithm,
            UploadChecksum.TryParse("sha1 " + DigestOf(ChecksumAlgorithm.Sha1), [], out _));

    [Theory]
    [InlineData("")]
    [InlineData("sha1")]
    [InlineData("sha1 ")]
    [InlineData(" 2jmj7l5rSw0yVb/vlWAYkK/YBwk=")]
    [InlineData("sha12jmj7l5rSw0yVb/vlWAYkK/YBwk=")]
    public void A_value_without_algorithm_space_and_digest_is_malformed(string value)
    {
        Assert.Equal(UploadChecksum.ParseError.Malformed, UploadChecksum.TryParse(value, ChecksumAlgorithm.All, out var checksum));
        Assert.Null(checksum);
    }

    [Theory]
    [InlineData("sha1 AAAA")]
    [InlineData("sha1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("md5 2jmj7l5rSw0yVb/vlWAYkK/YBwk=")]
    [InlineData("sha256 2jmj7l5rSw0yVb/vlWAYkK/YBwk=")]
    [InlineData("sha1 1B2M2Y8AsgTpgAmY7PhCfg==")]
    public void A_base64_digest_of_the_wrong_length_can_never_match(string value)
    {
        // Issue 12, item 9: a mismatch (460), not a malformed header (400).
        Assert.Equal(UploadChecksum.ParseError.DigestLengthMismatch, UploadChecksum.TryParse(value, ChecksumAlgorithm.All, out var checksum));
        Assert.Null(checksum);
    }

    [Theory]
    [InlineData("sha1  2jmj7l5rSw0yVb/vlWAYkK/YBwk=")]
    [InlineData("sha1 2jmj7l5rSw0yVb/vlWAYkK/YBwk= ")]
    [InlineData("sha1 2jmj7l5r Sw0yVb/vlWAYkK/YBwk=")]
    [InlineData("sha1 2jmj7l5rSw0yVb/vlWAYkK/YBwk=\t")]
    [InlineData("sha1\t2jmj7l5rSw0yVb/vlWAYkK/YBwk=")]
    public void White_space_other_than_the_one_separator_is_malformed(string value)
    {
        // Issue 12, item 8: "sha1  <digest>" (two spaces) was accepted.
        Assert.Equal(UploadChecksum.ParseError.Malformed, UploadChecksum.TryParse(value, ChecksumAlgorithm.All, out var checksum));
        Assert.Null(checksum);
    }

    [Theory]
    [InlineData("sha1 not-base64!")]
    [InlineData("sha1 2jmj7l5rSw0yVb/vlWAYkK/YBwk")]
    [InlineData("sha1 2jmj7l5rSw0yVb_vlWAYkK_YBwk=")]
    [InlineData("md5 ****************")]
    public void A_digest_that_is_not_base64_is_malformed(string value)
    {
        Assert.Equal(UploadChecksum.ParseError.Malformed, UploadChecksum.TryParse(value, ChecksumAlgorithm.All, out var checksum));
        Assert.Null(checksum);
    }

    [Fact]
    public void The_empty_input_digests_parse_to_their_known_bytes()
    {
        // Well-known digests of zero bytes, independent of the hashing code under test.
        Assert.Equal(UploadChecksum.ParseError.None, UploadChecksum.TryParse("sha1 2jmj7l5rSw0yVb/vlWAYkK/YBwk=", ChecksumAlgorithm.All, out var sha1));
        Assert.Equal(Convert.FromHexString("da39a3ee5e6b4b0d3255bfef95601890afd80709"), sha1!.Digest);

        Assert.Equal(UploadChecksum.ParseError.None, UploadChecksum.TryParse("md5 1B2M2Y8AsgTpgAmY7PhCfg==", ChecksumAlgorithm.All, out var md5));
        Assert.Equal(Convert.FromHexString("d41d8cd98f00b204e9800998ecf8427e"), md5!.Digest);
    }
}
