namespace TusCluster.LoadDriver.Scenarios;

/// <summary>One workload: an iteration uploads (and verifies) one file, or one concatenated file.</summary>
internal interface IScenario
{
    Task RunIterationAsync(IterationContext context, CancellationToken cancellationToken);
}
