using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace TusCluster.UploadService.Hosting;

/// <summary>
/// Hands Kestrel (its socket transport takes the pool factory from DI) the <see cref="LargeBlockMemoryPool"/>.
/// Every caller gets the same pool (the transport asks once per I/O queue), so its retention bound holds for
/// the whole process; disposing it only lets go of the retained blocks, and renting after that still works.
/// </summary>
internal sealed class LargeBlockMemoryPoolFactory(int blockSize, int maxRetained) : IMemoryPoolFactory<byte>
{
    public LargeBlockMemoryPool Pool { get; } = new(blockSize, maxRetained);

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => Pool;
}
