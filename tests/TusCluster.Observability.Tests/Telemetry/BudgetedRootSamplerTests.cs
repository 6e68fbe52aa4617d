using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Trace;
using TusCluster.Observability.Telemetry;

namespace TusCluster.Observability.Tests.Telemetry;

/// <summary>The root sampler's budget, on a clock the test moves.</summary>
public sealed class BudgetedRootSamplerTests
{
    [Fact]
    public void A_quiet_replica_records_a_burst_up_to_one_seconds_budget_then_drops()
    {
        var sampler = new BudgetedRootSampler(ratio: 1, maxPerSecond: 5, new FakeTimeProvider());

        var recorded = Enumerable.Range(0, 12).Count(_ => Samples(sampler));

        Assert.Equal(5, recorded);
    }

    [Fact]
    public void The_budget_refills_at_its_rate_and_saves_up_at_most_one_second()
    {
        var time = new FakeTimeProvider();
        var sampler = new BudgetedRootSampler(ratio: 1, maxPerSecond: 10, time);
        Assert.Equal(10, Enumerable.Range(0, 20).Count(_ => Samples(sampler)));

        time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal(3, Enumerable.Range(0, 20).Count(_ => Samples(sampler)));

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(10, Enumerable.Range(0, 50).Count(_ => Samples(sampler)));
    }

    [Fact]
    public void A_budget_below_one_a_second_still_records_one_trace_now_and_then()
    {
        var time = new FakeTimeProvider();
        var sampler = new BudgetedRootSampler(ratio: 1, maxPerSecond: 0.5, time);
        Assert.True(Samples(sampler));
        Assert.False(Samples(sampler));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(Samples(sampler));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Samples(sampler));
    }

    [Fact]
    public void No_limit_records_every_trace_the_ratio_lets_through()
    {
        var sampler = new BudgetedRootSampler(ratio: 1, maxPerSecond: 0, new FakeTimeProvider());

        Assert.Equal(1000, Enumerable.Range(0, 1000).Count(_ => Samples(sampler)));
    }

    [Fact]
    public void Traces_the_ratio_drops_do_not_spend_the_budget()
    {
        var sampler = new BudgetedRootSampler(ratio: 0, maxPerSecond: 3, new FakeTimeProvider());

        Assert.Equal(0, Enumerable.Range(0, 10).Count(_ => Samples(sampler)));
    }

    private static bool Samples(Sampler sampler)
    {
        var parameters = new SamplingParameters(default, ActivityTraceId.CreateRandom(), "request", ActivityKind.Server);
        return sampler.ShouldSample(parameters).Decision == SamplingDecision.RecordAndSample;
    }
}
