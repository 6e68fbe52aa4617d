using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Engine;

namespace TusCluster.UploadService.Hosting;

/// <summary>
/// On SIGTERM: refuse new requests and fail readiness at once, let in-flight PATCHes run for the drain
/// period, then tell them to commit what they have and answer. The host's shutdown timeout leaves the
/// commit grace period after that, so no acknowledged byte is cut off.
/// </summary>
internal sealed class ShutdownDrain(DrainState drain, IHostApplicationLifetime lifetime, IOptions<ServerOptions> options) : IHostedService
{
    private CancellationTokenRegistration _registration;
    private Timer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStopping.Register(() =>
        {
            drain.BeginDrain();
            _timer = new Timer(_ => drain.StopAllWriters(), null, options.Value.DrainPeriod, Timeout.InfiniteTimeSpan);
        });
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _registration.DisposeAsync();
        if (_timer is not null)
        {
            await _timer.DisposeAsync();
        }
    }
}
