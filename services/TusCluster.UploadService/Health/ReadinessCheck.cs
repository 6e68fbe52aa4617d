using Microsoft.Extensions.Diagnostics.HealthChecks;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Engine;
using TusCluster.Protocol.Storage;

namespace TusCluster.UploadService.Health;

/// <summary>Ready when the store and the coordination backend answer and the replica is not draining.</summary>
internal sealed class ReadinessCheck(IUploadStore store, IUploadCoordination coordination, DrainState drain) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (drain.IsDraining)
        {
            return HealthCheckResult.Unhealthy("draining");
        }

        if (!await coordination.IsHealthyAsync(cancellationToken))
        {
            return HealthCheckResult.Unhealthy("coordination backend unavailable");
        }

        return await store.IsHealthyAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("upload store unavailable");
    }
}
