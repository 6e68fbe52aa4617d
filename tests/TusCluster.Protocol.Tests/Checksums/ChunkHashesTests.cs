using System.Security.Cryptography;
using System.Text;
using TusCluster.Protocol.Checksums;

namespace TusCluster.Protocol.Tests.Checksums;

public sealed class ChunkHashesTests
{
    private static readonly byte[] Data = Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog, resumably.");

    public static TheoryData<string> AlgorithmNames => ["sha1", "md5", "sha256"];

    private static UploadChecksum ChecksumOf(ChecksumAlgorithm algorithm, byte[] data) =>
        new(algorithm, CryptographicOperations.HashData(algorithm.HashName, data));

    [Theory]
    [MemberData(nameof(AlgorithmNames))]
    public void Matches_the_digest_of_the_bytes_appended_in_one_piece(string name)
    {
        var algorithm = ChecksumAlgorithm.FromName(name)!;
        using var hashes = new ChunkHashes(ChecksumAlgorithm.All);

        hashes.Append(Data);

        Assert.True(hashes.Matches(ChecksumOf(algorithm, Data)));
    }

    [Theory]
    [MemberData(nameof(AlgorithmNames))]
    public void Matches_the_digest_of_the_bytes_appended_in_several_pieces(string name)
    {
        var algorithm = ChecksumAlgorithm.FromName(name)!;
        using var hashes = new ChunkHashes(ChecksumAlgorithm.All);

        hashes.Append(Data.AsSpan(0, 1));
        hashes.Append(Data.AsSpan(1, 0));
        hashes.Append(Data.AsSpan(1, 20));
        hashes.Append(Data.AsSpan(21));

        Assert.True(hashes.Matches(ChecksumOf(algorithm, Data)));
    }

    [Theory]
    [MemberData(nameof(AlgorithmNames))]
    public void Does_not_match_a_digest_of_other_bytes(string name)
    {
        var algorithm = ChecksumAlgorithm.FromName(name)!;
        using var hashes = new ChunkHashes(ChecksumAlgorithm.All);
        hashes.Append(Data);

        var other = (byte[])Data.Clone();
        other[^1] ^= 1;

        Assert.False(hashes.Matches(ChecksumOf(algorithm, other)));
        Assert.False(hashes.Matches(ChecksumOf(algorithm, Data[..^1])));
    }

    [Theory]
    [MemberData(nameof(AlgorithmNames))]
    public void Does_not_match_a_digest_of_the_wrong_length(string name)
    {
        var algorithm = ChecksumAlgorithm.FromName(name)!;
        using var hashes = new ChunkHashes(ChecksumAlgorithm.All);
        hashes.Append(Data);

        var digest = CryptographicOperations.HashData(algorithm.HashName, Data);

        Assert.False(hashes.Matches(new UploadChecksum(algorithm, digest[..^1])));
    }

    [Fact]
    public void Matches_known_digests_of_abc()
    {
        // FIPS 180 / RFC 1321 test vectors, independent of System.Security.Cryptography.
        using var hashes = new ChunkHashes(ChecksumAlgorithm.All);
        hashes.Append("a"u8);
        hashes.Append("bc"u8);

        Assert.True(hashes.Matches(new UploadChecksum(ChecksumAlgorithm.Sha1, Convert.FromHexString("a9993e364706816aba3e25717850c26c9cd0d89d"))));
        Assert.True(hashes.Matches(new UploadChecksum(ChecksumAlgorithm.Md5, Convert.FromHexString("900150983cd24fb0d6963f7d28e17f72"))));
        Assert.True(hashes.Matches(new UploadChecksum(
            ChecksumAlgorithm.Sha256,
            Convert.FromHexString("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))));
    }

    [Fact]
    public void Matches_the_empty_digest_when_nothing_was_appended()
    {
        using var hashes = new ChunkHashes([ChecksumAlgorithm.Sha256]);

        Assert.True(hashes.Matches(ChecksumOf(ChecksumAlgorithm.Sha256, [])));
    }

    [Fact]
    public void Can_be_asked_again_after_more_bytes_arrive()
    {
        using var hashes = new ChunkHashes([ChecksumAlgorithm.Sha1]);
        hashes.Append(Data.AsSpan(0, 10));
        Assert.True(hashes.Matches(ChecksumOf(ChecksumAlgorithm.Sha1, Data[..10])));

        hashes.Append(Data.AsSpan(10));

        Assert.True(hashes.Matches(ChecksumOf(ChecksumAlgorithm.Sha1, Data)));
    }

    [Fact]
    public void Asking_for_an_algorithm_that_was_not_computed_throws()
    {
        using var hashes = new ChunkHashes([ChecksumAlgorithm.Sha1]);
        hashes.Append(Data);

        var error = Assert.Throws<InvalidOperationException>(() => hashes.Matches(ChecksumOf(ChecksumAlgorithm.Md5, Data)));

        Assert.Contains("md5", error.Message, StringComparison.Ordinal);
    }
}
