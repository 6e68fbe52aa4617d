using System.Diagnostics;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd.Tests;

/// <summary>Runs its own etcd, because it kills and restarts it.</summary>
public sealed class EtcdOutageTests
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task AssertUnavailableAsync(Func<Task> action)
    {
        var started = Stopwatch.StartNew();
        await Assert.ThrowsAsync<CoordinationUnavailableException>(action);
        Assert.True(started.Elapsed < RequestTimeout + TimeSpan.FromSeconds(1), $"took {started.Elapsed}");
    }
}
