using Microsoft.Extensions.Hosting;
using TusCluster.Operator.LeaderElection;
using TusCluster.Operator.Reconciliation;

namespace TusCluster.Operator.Hosting;

/// <summary>Runs the controller, behind leader election unless it is turned off (one replica, or tests).</summary>
internal sealed class OperatorService(TusServerController controller, OperatorLeaderElection elector, OperatorOptions options, OperatorReadiness readiness) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        readiness.Started = true;
        return options.LeaderElection ? elector.RunAsync(controller.RunAsync, stoppingToken) : controller.RunAsync(stoppingToken);
    }
}
