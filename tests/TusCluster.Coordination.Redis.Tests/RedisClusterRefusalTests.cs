using Microsoft.Extensions.Options;
using TusCluster.Coordination.Redis.Connection;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Redis.Tests;

public sealed class RedisClusterRefusalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_redis_cluster_node_fails_the_start_with_a_message_that_says_what_to_use_instead()
    {
        var nodes = $"tuscluster-nodes-{Guid.NewGuid():N}.conf";
        await using var server = await RedisServer.StartAsync(extraArguments: ["--cluster-enabled", "yes", "--cluster-config-file", nodes]);
        try
        {
            await using var coordination = Fixtures.Create(server);

            var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => new RedisServerCheck(coordination).StartAsync(Ct));

            Assert.Contains("Redis Cluster", refused.Message, StringComparison.Ordinal);
            Assert.Contains("does not support", refused.Message, StringComparison.Ordinal);
            Assert.Contains("single primary", refused.Message, StringComparison.Ordinal);
            Assert.False(await coordination.IsHealthyAsync(Ct));
            await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.AcquireAsync(UploadId.New(), Fixtures.Generous, Ct));
        }
        finally
        {
            File.Delete(Path.Combine(Path.GetTempPath(), nodes));
        }
    }

    [Fact]
    public async Task A_standalone_server_passes_the_start_check()
    {
        await using var server = await RedisServer.StartAsync();
        await using var coordination = Fixtures.Create(server);

        await new RedisServerCheck(coordination).StartAsync(Ct);

        Assert.Null(coordination.UnsupportedServer);
    }
}
