using TusCluster.Protocol.Checksums;
using TusCluster.Protocol.Drafts;
using TusCluster.Protocol.Engine;

namespace TusCluster.Protocol.Tests.Drafts;

public sealed class DigestFieldsTests
{
    private const string Sha256 = "X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=";
    private const string Sha1 = "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=";

    [Fact]
    public void The_strongest_algorithm_checked_here_is_taken_whatever_the_order()
    {
        var checksum = DigestFields.ToUploadChecksum("Repr-Digest", $"sha=:{Sha1}:, sha-512=:AAAA:, sha-256=:{Sha256}:", ChecksumAlgorithm.All);

        Assert.Equal($"sha256 {Sha256}", checksum);
    }

    [Fact]
    public void Parameters_after_a_member_are_ignored() =>
        Assert.Equal($"sha1 {Sha1}", DigestFields.ToUploadChecksum("Content-Digest", $"sha=:{Sha1}:;note=1", ChecksumAlgorithm.All));

    [Fact]
    public void An_algorithm_disabled_by_configuration_is_not_checked()
    {
        var refused = Assert.Throws<TusException>(() => DigestFields.ToUploadChecksum("Repr-Digest", $"sha-256=:{Sha256}:", [ChecksumAlgorithm.Sha1]));

        Assert.Equal(400, refused.StatusCode);
        Assert.Contains("supported: sha", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sha-256")]
    [InlineData("sha-256=abc")]
    [InlineData("sha-256=:abc")]
    [InlineData("=:abc:")]
    public void A_member_that_is_not_a_byte_sequence_is_a_bad_request(string value) =>
        Assert.Equal(400, Assert.Throws<TusException>(() => DigestFields.ToUploadChecksum("Repr-Digest", value, ChecksumAlgorithm.All)).StatusCode);

    [Fact]
    public void An_overlong_field_is_refused_before_it_is_parsed() =>
        Assert.Equal(400, Assert.Throws<TusException>(() => DigestFields.ToUploadChecksum("Repr-Digest", new string('a', 2000), ChecksumAlgorithm.All)).StatusCode);
}
