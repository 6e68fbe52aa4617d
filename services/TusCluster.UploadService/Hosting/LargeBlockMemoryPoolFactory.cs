using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace TusCluster.UploadService.Hosting;

/// <summary>Hands Kestrel (its socket transport takes the pool factory from DI) pools of <see cref="LargeBlockMemoryPool"/>.</summary>
internal sealed class LargeBlockMemoryPoolFactory(int blockSize, int maxRetained) : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool(blockSize, maxRetained);
}
