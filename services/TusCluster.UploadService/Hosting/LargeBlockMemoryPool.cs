using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace TusCluster.UploadService.Hosting;

/// <summary>
/// Kestrel's memory pool with blocks larger than its 4 KiB ones. Kestrel's socket transport receives into
/// the free part of the current pool block and asks for at least 2 KiB, so with 4 KiB blocks a 1 GiB body
/// arrives in about half a million receive calls (docs/benchmarks.md); with 64 KiB blocks each receive
/// takes whatever the socket holds, up to 64 KiB. Kestrel's own pool is internal and has a fixed block
/// size, hence this one: pinned blocks (the transport hands them to the socket), reused, and at most
/// <c>maxRetained</c> kept while unused, so an idle server gives the rest back to the GC.
/// </summary>
internal sealed class LargeBlockMemoryPool(int blockSize, int maxRetained) : MemoryPool<byte>
{
    private readonly ConcurrentQueue<Block> _free = new();
    private int _retained;
    private long _rented;

    public override int MaxBufferSize => blockSize;

    /// <summary>Blocks handed out so far, reused ones included: shows that Kestrel receives into this pool.</summary>
    public long Rented => Interlocked.Read(ref _rented);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, blockSize);
        Interlocked.Increment(ref _rented);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _retained);
            return block;
        }

        return new Block(this, blockSize);
    }

    protected override void Dispose(bool disposing) => _free.Clear();

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _retained) <= maxRetained)
        {
            _free.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref _retained);
        }
    }

    private sealed class Block(LargeBlockMemoryPool pool, int size) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory { get; } = MemoryMarshal.CreateFromPinnedArray(GC.AllocateUninitializedArray<byte>(size, pinned: true), 0, size);

        public void Dispose() => pool.Return(this);
    }
}
