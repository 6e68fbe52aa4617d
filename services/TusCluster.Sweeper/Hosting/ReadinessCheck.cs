using Microsoft.Extensions.Diagnostics.HealthChecks;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Storage;

namespace TusCluster.Sweeper.Hosting;

/// <summary>Ready when the store and the coordination backend answer (leading or standing by alike).</summary>
internal sealed class ReadinessCheck(IUploadStore store, IUploadCoordination coordination) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!await coordination.IsHealthyAsync(cancellationToken))
        {
            return HealthCheckResult.Unhealthy("coordination backend unavailable");
        }

        return await store.IsHealthyAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("upload store unavailable");
    }
}
