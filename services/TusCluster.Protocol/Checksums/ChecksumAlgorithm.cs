using System.Security.Cryptography;

namespace TusCluster.Protocol.Checksums;

/// <summary>A checksum algorithm of the tus checksum extension, by its tus name.</summary>
public sealed class ChecksumAlgorithm
{
    public static readonly ChecksumAlgorithm Sha1 = new("sha1", HashAlgorithmName.SHA1, 20);
    public static readonly ChecksumAlgorithm Md5 = new("md5", HashAlgorithmName.MD5, 16);
    public static readonly ChecksumAlgorithm Sha256 = new("sha256", HashAlgorithmName.SHA256, 32);

    public static readonly IReadOnlyList<ChecksumAlgorithm> All = [Sha1, Md5, Sha256];

    private ChecksumAlgorithm(string name, HashAlgorithmName hashName, int digestLength)
    {
        Name = name;
        HashName = hashName;
        DigestLength = digestLength;
    }

    /// <summary>The name used in Upload-Checksum and Tus-Checksum-Algorithm.</summary>
    public string Name { get; }

    public HashAlgorithmName HashName { get; }

    public int DigestLength { get; }

    public static ChecksumAlgorithm? FromName(string name)
    {
        foreach (var algorithm in All)
        {
            if (string.Equals(algorithm.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return algorithm;
            }
        }

        return null;
    }

    public override string ToString() => Name;
}
