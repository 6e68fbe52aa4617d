using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Engine;

namespace TusCluster.UploadService.Hosting;

/// <summary>
/// On SIGTERM: refuse new requests (503) and fail readiness at once, keep the listener open while
/// requests are in flight, let in-flight PATCHes run for the drain period, then tell them to commit
/// what they have and answer. The host's shutdown timeout leaves the commit grace period after that,
/// so no acknowledged byte is cut off.
/// </summary>
internal sealed class ShutdownDrain(DrainState drain, IHostApplicationLifetime lifetime, IOptions<ServerOptions> options) : IHostedLifecycleService
{
    private static readonly TimeSpan InFlightPoll = TimeSpan.FromMilliseconds(50);
    private CancellationTokenRegistration _registration;
    private Timer? _timer;
    private int _begun;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStopping.Register(BeginDrain);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Idempotent. Called from ApplicationStopping and again from <see cref="StoppingAsync"/>: a token runs its
    /// callbacks last-registered first, so the host's own wait for ApplicationStopping (registered after this
    /// service started) can resume and reach StoppingAsync before this service's callback has run.
    /// </summary>
    private void BeginDrain()
    {
        if (Interlocked.Exchange(ref _begun, 1) == 0)
        {
            drain.BeginDrain();
            _timer = new Timer(_ => drain.StopAllWriters(), null, options.Value.DrainPeriod, Timeout.InfiniteTimeSpan);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <remarks>
    /// Kestrel closes its listeners in its own StopAsync, and WebApplication stops the server first of
    /// all hosted services. Every StoppingAsync runs before any StopAsync, so holding the host here while
    /// tus requests are in flight keeps the listeners open: a request sent meanwhile (by a balancer that
    /// has not yet seen readiness fail) gets 503 with Retry-After instead of a refused connection. An
    /// idle replica goes on at once.
    /// </remarks>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        BeginDrain();
        while (drain.InFlight > 0 && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(InFlightPoll, CancellationToken.None);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _registration.DisposeAsync();
        if (_timer is not null)
        {
            await _timer.DisposeAsync();
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
