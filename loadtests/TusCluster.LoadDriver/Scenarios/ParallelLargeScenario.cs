namespace TusCluster.LoadDriver.Scenarios;

/// <summary>
/// Few virtual users, each pushing a large file in large chunks: measures bandwidth rather than
/// request rate. The flow is create-and-patch's; only the defaults differ (see <see cref="ScenarioDefaults"/>).
/// </summary>
internal sealed class ParallelLargeScenario : IScenario
{
    private readonly CreateAndPatchScenario _flow = new();

    public Task RunIterationAsync(IterationContext context, CancellationToken cancellationToken) =>
        _flow.RunIterationAsync(context, cancellationToken);
}
