using Microsoft.Extensions.Hosting;

namespace TusCluster.Coordination.Etcd;

/// <summary>
/// Connects to etcd before the host starts serving: the first gRPC call of a process (channel, resolver,
/// protobuf descriptors, JIT) takes around a second, which would otherwise land on the first readiness
/// probe or request. Bounded and best effort: an etcd that does not answer shows in readiness.
/// </summary>
internal sealed class EtcdWarmUp(EtcdUploadCoordination coordination) : IHostedLifecycleService
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(Bound);
        try
        {
            await coordination.IsHealthyAsync(bound.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Not answered in time: readiness tells.
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
