using System.Diagnostics;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.DynamoDb.Tests;

/// <summary>Each test owns its dynalite, since it kills or stops it.</summary>
public sealed class DynamoDbOutageTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_commit_whose_outcome_is_unknown_is_verified_by_reading_never_sent_again()
    {
        await using var server = await DynaliteServer.LaunchAsync();
        await using var coordination = Fixtures.Create(server, "unknown", o => o.RequestTimeout = TimeSpan.FromSeconds(1));
        var id = UploadId.New();
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        var committed = await lease.CommitAsync(Fixtures.NewRecord(id, offset: 1), Ct);

        // The server stalls (SIGSTOP) longer than the request timeout: neither the write nor the read-back answers.
        await SignalAsync(server, "STOP");
        try
        {
            var error = await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await lease.CommitAsync(committed with { Offset = 2 }, Ct));
            Assert.Contains("unknown outcome", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await SignalAsync(server, "CONT");
        }

        // The stalled write was received and is applied once the server runs again; the lease still holds.
        await Eventually.HoldsAsync(async ValueTask<bool> () => (await coordination.GetAsync(id, Ct))?.Offset == 2, "the offset 2 to be readable again");
        var retried = await lease.CommitAsync(committed with { Offset = 3 }, Ct);
        Fixtures.AssertSameRecord(retried, await coordination.GetAsync(id, Ct));
        Assert.False(lease.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task An_acquire_whose_outcome_is_unknown_lets_go_of_the_lock_it_may_have_taken()
    {
        await using var server = await DynaliteServer.LaunchAsync();
        await using var stalled = Fixtures.Create(server, "abandon", o => (o.RequestTimeout, o.LeaseTtl) = (TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)));
        await using var other = Fixtures.Create(server, "abandon", o => o.LeaseTtl = TimeSpan.FromMinutes(1));
        await stalled.EnsureTableAsync(Ct);
        var id = UploadId.New();

        await SignalAsync(server, "STOP");
        try
        {
            await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await stalled.AcquireAsync(id, Fixtures.Generous, Ct));
        }
        finally
        {
            await SignalAsync(server, "CONT");
        }

        // The stalled acquire is applied once the server runs again; nobody holds that lease, so it is
        // released long before its one-minute TTL.
        var watch = Stopwatch.StartNew();
        await using var lease = await other.AcquireAsync(id, TimeSpan.FromSeconds(20), Ct);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the abandoned lock was held for {watch.Elapsed}");
        await lease.CommitAsync(Fixtures.NewRecord(id), Ct);
    }

    private static async Task SignalAsync(DynaliteServer server, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", $"{server.ProcessId}" } })!;
        await kill.WaitForExitAsync(Ct);
        Assert.Equal(0, kill.ExitCode);
    }

    private static async Task AssertUnavailableAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<CoordinationUnavailableException>(action);
        Assert.True(watch.Elapsed < Bound, $"failing took {watch.Elapsed}");
    }
}
