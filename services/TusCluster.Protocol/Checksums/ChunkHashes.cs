using System.Security.Cryptography;

namespace TusCluster.Protocol.Checksums;

/// <summary>
/// Incremental hashes of one chunk as it streams through. With checksum-trailer the algorithm is only
/// known once the body has ended, so every enabled algorithm is computed then.
/// </summary>
internal sealed class ChunkHashes : IDisposable
{
    private readonly (ChecksumAlgorithm Algorithm, IncrementalHash Hash)[] _hashes;

    public ChunkHashes(IEnumerable<ChecksumAlgorithm> algorithms) =>
        _hashes = [.. algorithms.Select(a => (a, IncrementalHash.CreateHash(a.HashName)))];

    public void Append(ReadOnlySpan<byte> data)
    {
        foreach (var (_, hash) in _hashes)
        {
            hash.AppendData(data);
        }
    }

    /// <summary>True when the digest of the bytes seen so far equals <paramref name="expected"/>.</summary>
    public bool Matches(UploadChecksum expected)
    {
        foreach (var (algorithm, hash) in _hashes)
        {
            if (algorithm == expected.Algorithm)
            {
                return CryptographicOperations.FixedTimeEquals(hash.GetCurrentHash(), expected.Digest);
            }
        }

        throw new InvalidOperationException($"{expected.Algorithm} was not computed for this chunk.");
    }

    public void Dispose()
    {
        foreach (var (_, hash) in _hashes)
        {
            hash.Dispose();
        }
    }
}
