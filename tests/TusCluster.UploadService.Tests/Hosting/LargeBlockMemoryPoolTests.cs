using System.Buffers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.UploadService.Hosting;

namespace TusCluster.UploadService.Tests.Hosting;

public sealed class LargeBlockMemoryPoolTests
{
    [Fact]
    public void A_block_is_the_configured_size_and_is_reused_after_it_is_returned()
    {
        using var pool = new LargeBlockMemoryPool(65536, maxRetained: 4);

        var first = pool.Rent(4096);
        var memory = first.Memory;
        first.Dispose();
        using var second = pool.Rent();

        Assert.Equal(65536, memory.Length);
        Assert.Equal(65536, pool.MaxBufferSize);
        Assert.Same(first, second);
    }

    [Fact]
    public void Blocks_beyond_the_retention_bound_are_left_to_the_garbage_collector()
    {
        using var pool = new LargeBlockMemoryPool(4096 * 2, maxRetained: 1);
        var (a, b) = (pool.Rent(), pool.Rent());
        a.Dispose();
        b.Dispose();

        using var again = pool.Rent();
        using var fresh = pool.Rent();

        Assert.Same(a, again);
        Assert.NotSame(b, fresh);
    }

    [Fact]
    public void A_request_larger_than_a_block_is_refused_so_the_pipe_falls_back_to_its_own_buffers()
    {
        using var pool = new LargeBlockMemoryPool(8192, maxRetained: 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(8193));
    }

    [Fact]
    public async Task Kestrel_receives_into_the_one_large_block_pool_and_a_large_upload_arrives_intact()
    {
        await using var service = await TusServiceInstance.StartAsync(["--Tus:Server:ReceiveBlockSize=131072"]);
        var data = RandomNumberGenerator.GetBytes(8 * 1024 * 1024 + 123);
        var factory = Assert.IsType<LargeBlockMemoryPoolFactory>(service.Services.GetRequiredService<IMemoryPoolFactory<byte>>());
        var upload = await Tus.CreateAsync(service.Client, service.FilesUrl, data.Length);
        var rentedBefore = factory.Pool.Rented;

        using var patch = await Tus.PatchAsync(service.Client, upload, 0, data);
        var rentedAfter = factory.Pool.Rented;
        var stored = await service.Client.GetByteArrayAsync(upload, TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.NoContent, patch.StatusCode);
        Assert.Equal(data, stored);
        Assert.Equal(131072, factory.Pool.MaxBufferSize);
        Assert.Same(factory.Pool, factory.Create());

        // Kestrel's socket transport received the body into our blocks (its own pool would leave this count alone).
        Assert.True(rentedAfter > rentedBefore, $"rented {rentedBefore} before the PATCH, {rentedAfter} after");
    }

    [Fact]
    public async Task Kestrels_own_pool_stays_when_the_block_size_is_4096()
    {
        await using var service = await TusServiceInstance.StartAsync(["--Tus:Server:ReceiveBlockSize=4096"]);

        Assert.IsNotType<LargeBlockMemoryPoolFactory>(service.Services.GetService<IMemoryPoolFactory<byte>>());
    }
}
