using System.Buffers;
using System.Security.Cryptography;

namespace TusCluster.LoadDriver.Scenarios;

/// <summary>
/// The content of one upload (bytes [Start, Start + Length) of a seeded stream) and its SHA-256, hashed
/// while the bytes are sent. Bytes sent again after an interruption are not hashed twice: only bytes
/// at the hashed watermark extend the hash.
/// </summary>
internal sealed class UploadSource : IDisposable
{
    public const int BufferSize = 64 * 1024;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _hashedUpTo;

    public UploadSource(ulong seed, long start, long length)
    {
        Seed = seed;
        Start = start;
        Length = length;
    }

    public ulong Seed { get; }

    public long Start { get; }

    public long Length { get; }

    /// <summary>Writes bytes [offset, offset + count) of this upload into <paramref name="destination"/>.</summary>
    public void Fill(long offset, Span<byte> destination) => SeededBytes.Fill(Seed, Start + offset, destination);

    /// <summary>Called with bytes as they are sent, in order; extends the hash when they reach past the watermark.</summary>
    public void Observe(long offset, ReadOnlySpan<byte> data)
    {
        lock (_hash)
        {
            var end = offset + data.Length;
            if (offset <= _hashedUpTo && end > _hashedUpTo)
            {
                _hash.AppendData(data[(int)(_hashedUpTo - offset)..]);
                _hashedUpTo = end;
            }
        }
    }

    /// <summary>The SHA-256 of the whole upload; bytes never sent (none, normally) are generated for it.</summary>
    public byte[] FinishHash()
    {
        lock (_hash)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                while (_hashedUpTo < Length)
                {
                    var span = buffer.AsSpan(0, (int)Math.Min(BufferSize, Length - _hashedUpTo));
                    Fill(_hashedUpTo, span);
                    _hash.AppendData(span);
                    _hashedUpTo += span.Length;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return _hash.GetHashAndReset();
        }
    }

    public void Dispose() => _hash.Dispose();
}
