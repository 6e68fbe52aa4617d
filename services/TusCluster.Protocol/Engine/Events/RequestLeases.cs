using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Events;

namespace TusCluster.Protocol.Engine.Events;

/// <summary>
/// Takes upload leases for the request being answered: with hooks that follow commits, the lease
/// raises events (<see cref="EventingLease"/>); without, it is the backend's own and costs nothing more.
/// </summary>
internal sealed class RequestLeases(IUploadCoordination coordination, IUploadHooks hooks, UploadEventFactory factory, UploadClock clock, IHttpContextAccessor requests, IOptions<TusProtocolOptions> options)
{
    private readonly bool _raisesEvents = UploadEventTypes.All.Any(t => t != UploadEventType.PreCreate && t != UploadEventType.PreTerminate && hooks.IsEnabled(t));
    private readonly TimeSpan _timeout = options.Value.LockAcquireTimeout;

    /// <exception cref="LockTimeoutException">The lease could not be had within Tus:LockAcquireTimeout.</exception>
    public async Task<IUploadLease> AcquireAsync(string uploadId, CancellationToken cancellationToken)
    {
        var lease = await coordination.AcquireAsync(uploadId, _timeout, cancellationToken);
        return _raisesEvents ? new EventingLease(lease, requests.HttpContext, factory, hooks, clock) : lease;
    }
}
