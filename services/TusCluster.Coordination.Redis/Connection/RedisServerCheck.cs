using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace TusCluster.Coordination.Redis.Connection;

/// <summary>
/// Connects at start and refuses to start against Redis Cluster. Redis being unreachable does not stop
/// the start: the replica reports not ready and the multiplexer keeps connecting.
/// </summary>
internal sealed class RedisServerCheck(RedisUploadCoordination coordination) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        coordination.UnsupportedServer is { } message
            ? throw new OptionsValidationException(RedisCoordinationOptions.SectionName, typeof(RedisCoordinationOptions), [message])
            : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
