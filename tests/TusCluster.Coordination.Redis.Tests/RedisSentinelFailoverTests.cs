using System.Collections.Concurrent;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Redis.Tests;

/// <summary>
/// Uploads commit through a Sentinel-configured coordination; the replication link to the replica
/// stalls, then the primary is SIGKILLed and Sentinel promotes the replica, and the uploads finish.
/// With WaitForReplicas=1 every offset a commit acknowledged survives; without it, the same failover
/// forgets acknowledged offsets (asynchronous replication), which is the window WAIT closes.
/// </summary>
public sealed class RedisSentinelFailoverTests
{
    private const int Workers = 3;
    private const long Step = 50;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_WaitForReplicas_acknowledged_offsets_and_finished_uploads_survive_a_failover()
    {
        var (run, acknowledgedAtKill, coordination, topology) = await RunFailoverAsync(waitForReplicas: 1);
        await using (topology)
        await using (coordination)
        {
            Assert.Equal(run.Started.Count, run.Finished.Count);
            Assert.True(run.RetriesAfterFailure > 0, "no operation failed: the failover happened outside the run");
            Assert.Empty(run.WentBack);
            Assert.Empty(await FellBelowAsync(coordination, acknowledgedAtKill));
            foreach (var id in run.Finished)
            {
                Assert.Equal(TestRecordLength, (await coordination.GetAsync(id, Ct))?.Offset);
            }
        }
    }

    /// <summary>The control: the same run without WAIT loses acknowledged offsets, so the test above can fail.</summary>
    [Fact]
    public async Task Without_WaitForReplicas_the_same_failover_forgets_acknowledged_offsets()
    {
        var (run, acknowledgedAtKill, coordination, topology) = await RunFailoverAsync(waitForReplicas: 0);
        await using (topology)
        await using (coordination)
        {
            Assert.True(run.WentBack.Count + (await FellBelowAsync(coordination, acknowledgedAtKill)).Count > 0, "every acknowledged offset survived although nothing reached the replica");
        }
    }

    private static async Task<(FailoverRun Run, Dictionary<string, long> AcknowledgedAtKill, RedisUploadCoordination Coordination, SentinelTopology Topology)> RunFailoverAsync(int waitForReplicas)
    {
        var topology = await SentinelTopology.StartAsync();
        var coordination = Fixtures.Create(topology.Primary, o =>
        {
            (o.Endpoint, o.Configuration) = (null, topology.Configuration);
            (o.WaitForReplicas, o.WaitTimeout) = (waitForReplicas, TimeSpan.FromMilliseconds(300));
            (o.LeaseTtl, o.CommandTimeout, o.ConnectTimeout) = (TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(1));
        });
        try
        {
            var run = new FailoverRun(coordination, DateTime.UtcNow + Deadline);

            // The workers upload one upload after another until the failover is over, so that commits are still
            // being acknowledged while the replication link is held, however fast this machine is.
            var uploads = Enumerable.Range(0, Workers).Select(_ => Task.Run(run.UploadUntilStoppedAsync, Ct)).ToArray();

            // Mid-run the replication stream stops reaching the replica, the primary goes on for a while,
            // then dies; the sentinel promotes the replica, and a new replica joins it so that WAIT can be
            // satisfied again (what an operator or orchestrator would do).
            await run.WaitForAcknowledgementsAsync(20);
            topology.Link.Hold();
            await Task.Delay(700, Ct);
            if (waitForReplicas == 0)
            {
                // Without WAIT the primary acknowledges what the replica never gets: make sure some commits did
                // while the link was held, so the control cannot pass by luck.
                await run.WaitForAcknowledgementsAsync(run.AcknowledgementCount + 3);
            }

            await topology.Primary.KillAsync();
            var acknowledgedAtKill = run.Acknowledged.ToDictionary();
            await topology.WaitUntilAsync(async () => await topology.PrimaryPortAsync() == topology.Replica.Port, "the sentinel to promote the replica");
            await topology.AddReplicaAsync(topology.Replica);
            run.Stop();

            await Task.WhenAll(uploads).WaitAsync(Deadline, Ct);
            return (run, acknowledgedAtKill, coordination, topology);
        }
        catch
        {
            // The callers dispose what a finished run returns; a failed one must not leave its servers running.
            await coordination.DisposeAsync();
            await topology.DisposeAsync();
            throw;
        }
    }

    /// <summary>Uploads whose stored offset is now below what a commit acknowledged before the primary died.</summary>
    private static async Task<List<string>> FellBelowAsync(RedisUploadCoordination coordination, Dictionary<string, long> acknowledgedAtKill)
    {
        var fell = new List<string>();
        foreach (var (id, acknowledged) in acknowledgedAtKill)
        {
            if ((await coordination.GetAsync(id, Ct))?.Offset is not { } offset || offset < acknowledged)
            {
                fell.Add(id);
            }
        }

        return fell;
    }

    private static long TestRecordLength => Fixtures.NewRecord(UploadId.New()).Length!.Value;

    /// <summary>Uploads driven the way the engine does: acquire, commit a larger offset, commit-and-release.</summary>
    private sealed class FailoverRun(RedisUploadCoordination coordination, DateTime deadline)
    {
        private int _acknowledgements;
        private int _retries;
        private bool _stopped;

        public ConcurrentDictionary<string, long> Acknowledged { get; } = new(StringComparer.Ordinal);

        public ConcurrentBag<string> Finished { get; } = [];

        /// <summary>Offsets found below what was acknowledged for that upload.</summary>
        public ConcurrentBag<string> WentBack { get; } = [];

        public int RetriesAfterFailure => Volatile.Read(ref _retries);

        public int AcknowledgementCount => Volatile.Read(ref _acknowledgements);

        public async Task WaitForAcknowledgementsAsync(int count)
        {
            while (Volatile.Read(ref _acknowledgements) < count)
            {
                Assert.True(DateTime.UtcNow < deadline, "the uploads made no progress before the failover");
                await Task.Delay(10, Ct);
            }
        }

        /// <summary>Every upload a worker began; each must finish, failover or not.</summary>
        public ConcurrentBag<string> Started { get; } = [];

        public void Stop() => Volatile.Write(ref _stopped, true);

        public async Task UploadUntilStoppedAsync()
        {
            while (!Volatile.Read(ref _stopped))
            {
                var id = UploadId.New();
                Started.Add(id);
                await UploadOneAsync(id);
            }
        }

        private async Task UploadOneAsync(string id)
        {
            var length = TestRecordLength;
            while (true)
            {
                Assert.True(DateTime.UtcNow < deadline, $"upload {id} did not finish before the deadline");
                try
                {
                    // HEAD: where does the upload stand? Never below what was acknowledged.
                    var stored = await coordination.GetAsync(id, Ct);
                    var offset = stored?.Offset ?? 0;
                    if (offset < Acknowledged.GetValueOrDefault(id))
                    {
                        WentBack.Add($"{id}: {offset} < {Acknowledged[id]}");
                    }

                    if (offset >= length)
                    {
                        Finished.Add(id);
                        return;
                    }

                    await using var lease = await coordination.AcquireAsync(id, TimeSpan.FromSeconds(3), Ct);
                    var record = lease.Record ?? Fixtures.NewRecord(id);
                    record = await lease.CommitAsync(record with { Offset = Math.Min(record.Offset + Step, length) }, Ct);
                    Acknowledge(id, record.Offset);
                    record = await lease.CommitAndReleaseAsync(record with { Offset = Math.Min(record.Offset + Step, length) }, Ct);
                    Acknowledge(id, record.Offset);
                }
                catch (Exception e) when (e is CoordinationUnavailableException or LockTimeoutException or LeaseLostException)
                {
                    Interlocked.Increment(ref _retries);
                    await Task.Delay(50, Ct);
                }
            }
        }

        private void Acknowledge(string id, long offset)
        {
            Acknowledged.AddOrUpdate(id, offset, (_, known) => Math.Max(known, offset));
            Interlocked.Increment(ref _acknowledgements);
        }
    }
}
