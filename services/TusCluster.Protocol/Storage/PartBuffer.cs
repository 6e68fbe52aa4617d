using System.Buffers;

namespace TusCluster.Protocol.Storage;

/// <summary>
/// The bytes of the part a request is filling, in one pooled array. It starts small, so a request with a
/// tiny body never holds a whole part's memory, and jumps to the full part size once the body passes
/// 1 MiB: doubling all the way would leave a ladder of intermediate arrays (about one more part per
/// request) cached in the shared pool, above the (parts in flight x part size) bound.
/// </summary>
public sealed class PartBuffer(int limit) : IDisposable
{
    private const int InitialSize = 64 * 1024;
    private const int FullSizeAbove = 1024 * 1024;

    private byte[]? _array = ArrayPool<byte>.Shared.Rent(Math.Min(InitialSize, limit));

    public int Length { get; private set; }

    public int Limit => limit;

    public bool IsFull => Length == limit;

    public ArraySegment<byte> Written => new(Array, 0, Length);

    private byte[] Array => _array ?? throw new ObjectDisposedException(nameof(PartBuffer));

    /// <summary>Space to read into: never empty unless the buffer is full.</summary>
    public Memory<byte> FreeSpace()
    {
        if (Length == Array.Length && Length < limit)
        {
            var doubled = 2L * Array.Length;
            Grow(doubled > FullSizeAbove ? limit : (int)Math.Min(limit, doubled));
        }

        return Array.AsMemory(Length, Math.Min(Array.Length, limit) - Length);
    }

    public void EnsureCapacity(int size)
    {
        if (Array.Length < size)
        {
            Grow(Math.Min(limit, size));
        }
    }

    /// <summary>The next <paramref name="count"/> bytes after what is written, to fill before <see cref="Advance"/>.</summary>
    public Memory<byte> Reserve(int count)
    {
        EnsureCapacity(checked(Length + count));
        return Array.AsMemory(Length, count);
    }

    public void Advance(int count) => Length += count;

    /// <summary>Starts again, empty, in the same array (its bytes were used up, e.g. uploaded).</summary>
    public void Clear() => Length = 0;

    /// <summary>Hands the filled array over (the taker returns it to the pool) and starts again, empty.</summary>
    public (byte[] Array, int Length) Detach(int nextCapacity)
    {
        var taken = (Array, Length);
        _array = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(nextCapacity, InitialSize), limit));
        Length = 0;
        return taken;
    }

    public void Dispose()
    {
        if (_array is { } array)
        {
            _array = null;
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void Grow(int size)
    {
        var larger = ArrayPool<byte>.Shared.Rent(size);
        Array.AsSpan(0, Length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(Array);
        _array = larger;
    }
}
