using Microsoft.Extensions.Logging.Abstractions;
using TusCluster.Operator.Kubernetes;
using TusCluster.Operator.LeaderElection;
using TusCluster.Operator.Tests.Controller;
using TusCluster.Operator.Tests.Fakes;

namespace TusCluster.Operator.Tests.LeaderElection;

/// <summary>KubernetesClient's LeaderElector on a LeaseLock, as the operator runs it: one leader at a time, hand-over when the Lease is not renewed.</summary>
public sealed class OperatorLeaderElectionTests
{
    [Fact]
    public async Task One_candidate_leads_and_the_other_takes_over_when_the_lease_is_not_renewed()
    {
        await using var fake = await FakeKubernetesApiServer.StartAsync();
        using var api = OperatorHarness.Client(fake);
        var options = OperatorHarness.Options();
        var first = new OperatorLeaderElection(api, options, "ops", "first", NullLogger<OperatorLeaderElection>.Instance);
        var second = new OperatorLeaderElection(api, options, "ops", "second", NullLogger<OperatorLeaderElection>.Instance);
        var leaders = 0;
        var maxLeaders = 0;
        var secondLed = false;
        async Task Lead(CancellationToken token, bool isSecond)
        {
            var now = Interlocked.Increment(ref leaders);
            InterlockedMax(ref maxLeaders, now);
            if (isSecond) secondLed = true;
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            finally
            {
                Interlocked.Decrement(ref leaders);
            }
        }

        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();
        var firstRun = first.RunAsync(t => Lead(t, false), stopFirst.Token);
        await Eventually.HoldsAsync(() => first.IsLeader, "the first candidate leads");
        var secondRun = second.RunAsync(t => Lead(t, true), stopSecond.Token);
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        Assert.False(second.IsLeader);
        Assert.Equal("first", (string?)fake.Get("/apis/coordination.k8s.io/v1/namespaces/ops/leases/tuscluster-operator")!["spec"]!["holderIdentity"]);

        await stopFirst.CancelAsync();
        await firstRun;
        await Eventually.HoldsAsync(() => second.IsLeader, "the second candidate takes over after the lease expires");
        var lease = fake.Get("/apis/coordination.k8s.io/v1/namespaces/ops/leases/tuscluster-operator")!;
        Assert.Equal("second", (string?)lease["spec"]!["holderIdentity"]);
        Assert.Equal(1, (int)lease["spec"]!["leaseTransitions"]!);
        Assert.True(secondLed);
        Assert.Equal(1, maxLeaders);

        await stopSecond.CancelAsync();
        await secondRun;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
