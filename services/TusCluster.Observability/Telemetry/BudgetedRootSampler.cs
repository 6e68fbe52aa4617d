using OpenTelemetry.Trace;

namespace TusCluster.Observability.Telemetry;

/// <summary>
/// Decides for traces that start here (the parent-based sampler asks it only for roots): first by trace id
/// (the ratio, so every replica decides alike), then against a budget of traces per second. Recording every
/// request cost 38 % of the small-upload rate in a quiet two-core run (docs/benchmarks.md); the budget bounds that
/// cost on a busy replica while a quiet one (a developer, a test, a trickle of traffic) still traces every
/// request. OpenTelemetry .NET ships no rate-limiting sampler, hence this one.
/// </summary>
internal sealed class BudgetedRootSampler : Sampler
{
    private static readonly SamplingResult Dropped = new(SamplingDecision.Drop);
    private readonly TraceIdRatioBasedSampler _byTraceId;
    private readonly TraceBudget? _budget;

    /// <param name="ratio">Share of root traces considered, 0 to 1.</param>
    /// <param name="maxPerSecond">Root traces recorded a second at most; 0: no limit.</param>
    /// <param name="time">The clock the budget refills by.</param>
    public BudgetedRootSampler(double ratio, double maxPerSecond, TimeProvider time)
    {
        _byTraceId = new TraceIdRatioBasedSampler(ratio);
        _budget = maxPerSecond > 0 ? new TraceBudget(maxPerSecond, time) : null;
        Description = $"BudgetedRootSampler{{ratio={ratio}, maxPerSecond={maxPerSecond}}}";
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var byTraceId = _byTraceId.ShouldSample(samplingParameters);
        if (byTraceId.Decision == SamplingDecision.Drop || _budget is null)
        {
            return byTraceId;
        }

        return _budget.TryTake() ? byTraceId : Dropped;
    }
}
