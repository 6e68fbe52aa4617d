using Microsoft.Extensions.DependencyInjection;

namespace TusCluster.Sweeping.Tests;

/// <summary>Exactly one sweeper leads; when it stops, a standby takes over and sweeps.</summary>
public sealed class LeaderTests(CoordinationServers servers)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(SweepBackends.All), MemberType = typeof(SweepBackends))]
    public async Task One_instance_leads_and_a_standby_takes_over_when_it_stops(string backend)
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, backend, ("Tus:Sweeper:Interval", "00:00:00.100"));
        var (first, firstMetrics) = Sweeper(env.Services);
        var (second, secondMetrics) = Sweeper(env.NewInstance());

        await first.StartAsync(Ct);
        await Eventually.HoldsAsync(() => firstMetrics.IsLeading, "the first sweeper to lead", Patience);
        await second.StartAsync(Ct);

        // Both run for a while: never both leading, and the first keeps the lease.
        for (var i = 0; i < 30; i++)
        {
            Assert.False(firstMetrics.IsLeading && secondMetrics.IsLeading, "two sweepers led at once");
            await Task.Delay(50, Ct);
        }

        Assert.True(firstMetrics.IsLeading);
        Assert.False(secondMetrics.IsLeading);
        var early = await env.SeedAsync(10, env.Clock.GetUtcNow().AddMinutes(-1));
        await Eventually.HoldsAsync(() => !env.HasBytes(early.Id), "the leader to reclaim an expired upload", Patience);

        await first.StopAsync(Ct);
        Assert.False(firstMetrics.IsLeading);
        await Eventually.HoldsAsync(() => secondMetrics.IsLeading, "the standby to take over", Patience);
        var late = await env.SeedAsync(10, env.Clock.GetUtcNow().AddMinutes(-1));
        await Eventually.HoldsAsync(() => !env.HasBytes(late.Id), "the new leader to reclaim an expired upload", Patience);

        await second.StopAsync(Ct);
        first.Dispose();
        second.Dispose();
    }

    private static (SweeperService Service, SweeperMetrics Metrics) Sweeper(IServiceProvider services) =>
        (ActivatorUtilities.CreateInstance<SweeperService>(services), services.GetRequiredService<SweeperMetrics>());
}
