using System.Diagnostics;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Sweeping.Tests;

/// <summary>
/// The sweeper host as real processes on a shared backend: killed with SIGKILL mid-pass, the next
/// leader (a restarted process or a standby) finishes the job and no bytes without a record remain.
/// </summary>
public sealed class SweeperProcessTests(CoordinationServers servers)
{
    private const int Expired = 120;
    private const int Live = 10;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(SweepBackends.Shared), MemberType = typeof(SweepBackends))]
    public async Task A_sweeper_killed_mid_pass_and_restarted_leaves_everything_reclaimed_and_no_orphan(string backend)
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, backend);
        var (expired, live) = await SeedAsync(env);

        await using (var first = Start(env))
        {
            await first.WaitUntilReadyAsync();
            await UntilDueAtMostAsync(env, Expired - 10, first);
            await first.KillAsync();
        }

        var left = await DueAsync(env);
        Assert.InRange(left, 1, Expired - 10);

        await using (var second = Start(env))
        {
            await UntilDueAtMostAsync(env, 0, second);
        }

        await AssertSweptAsync(env, expired, live);
    }

    [Theory]
    [MemberData(nameof(SweepBackends.Shared), MemberType = typeof(SweepBackends))]
    public async Task When_the_leader_is_killed_mid_pass_the_standby_takes_over_and_finishes(string backend)
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, backend);
        var (expired, live) = await SeedAsync(env);

        await using var a = Start(env);
        await using var b = Start(env);
        await Task.WhenAll(a.WaitUntilReadyAsync(), b.WaitUntilReadyAsync());
        await UntilDueAtMostAsync(env, Expired - 10, a);
        var (leader, standby) = a.IsLeader() ? (a, b) : (b, a);
        Assert.True(leader.IsLeader());
        Assert.False(standby.IsLeader());

        await leader.KillAsync();
        var killedAt = Stopwatch.StartNew();
        Assert.True(await DueAsync(env) > 0, "the pass ended before the leader was killed");
        var deadline = DateTime.UtcNow + Patience;
        while (!standby.IsLeader())
        {
            Assert.True(DateTime.UtcNow < deadline, $"The standby never took over:\n{standby.Output}");
            await Task.Delay(50, Ct);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{backend}: the standby led {killedAt.Elapsed.TotalSeconds:F1} s after the leader was killed (its lease TTL: CoordinationServers).");
        await UntilDueAtMostAsync(env, 0, standby);
        await AssertSweptAsync(env, expired, live);
    }

    private ServiceProcess Start(SweepEnvironment env) =>
        SweeperProcess.Start([.. env.Arguments(), "--Tus:Sweeper:Interval=00:00:00.500", "--Tus:Sweeper:MaxDeletionsPerSecond=40", "--Tus:Sweeper:BatchSize=16"]);

    private static async Task<(List<UploadRecord> Expired, List<UploadRecord> Live)> SeedAsync(SweepEnvironment env)
    {
        var now = env.Clock.GetUtcNow();
        var expired = new List<UploadRecord>();
        var live = new List<UploadRecord>();
        for (var i = 0; i < Expired; i++)
        {
            expired.Add(await env.SeedAsync(2000, now.AddMinutes(-10).AddMilliseconds(i)));
        }

        for (var i = 0; i < Live; i++)
        {
            live.Add(await env.SeedAsync(2000, now.AddHours(1)));
        }

        return (expired, live);
    }

    private static async Task<int> DueAsync(SweepEnvironment env) =>
        (await env.Coordination.ReadExpiredAsync(DateTimeOffset.UtcNow, 10_000, Ct)).Count;

    private static async Task UntilDueAtMostAsync(SweepEnvironment env, int count, ServiceProcess process)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (await DueAsync(env) > count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Still more than {count} due after {Patience}:\n{process.Output}");
            await Task.Delay(20, Ct);
        }
    }

    private static async Task AssertSweptAsync(SweepEnvironment env, List<UploadRecord> expired, List<UploadRecord> live)
    {
        foreach (var upload in expired)
        {
            Assert.Equal(UploadStatus.Expired, (await env.Coordination.GetAsync(upload.Id, Ct))?.Status);
            Assert.False(env.HasBytes(upload.Id));
        }

        foreach (var upload in live)
        {
            Assert.Equal(UploadStatus.Active, (await env.Coordination.GetAsync(upload.Id, Ct))?.Status);
            Assert.True(env.HasBytes(upload.Id));
        }

        Assert.Empty(await env.OrphansAsync());
    }
}
