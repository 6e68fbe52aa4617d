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
    private const int UploadsPerWorker = 4;
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
            Assert.Equal(Workers * UploadsPerWorker, run.Finished.Count);
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
        var run = new FailoverRun(coordination, DateTime.UtcNow + Deadline);

        var uploads = Enumerable.Range(0, Workers).Select(_ => Task.Run(() => run.UploadSeveralAsync(UploadsPerWorker), Ct)).ToArray();

        // Mid-run the replication stream stops reaching the replica, the primary goes on for a while,
        // then dies; the sentinel promotes the replica, and a new replica joins it so that WAIT can be
        // satisfied again (what an operator or orchestrator would do).
        await run.WaitForAcknowledgementsAsync(20);
        topology.Link.Hold();
        await Task.Delay(700, Ct);
        await topology.Primary.KillAsync();
        var acknowledgedAtKill = run.Acknowledged.ToDictionary();
        await topology.WaitUntilAsync(async () => await topology.PrimaryPortAsync() == topology.Replica.Port, "the sentinel to promote the replica");
        await topology.AddReplicaAsync(topology.Replica);

        await Task.WhenAll(uploads).WaitAsync(Deadline, Ct);
        return (run, acknowledgedAtKill, coordination, topology);
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

        public ConcurrentDictionary<string, long> Acknowledged { get; } = new(StringComparer.Ordinal);

        public ConcurrentBag<string> Finished { get; } = [];

        /// <summary>Offsets found below what was acknowledged for that upload.</summary>
        public ConcurrentBag<string> WentBack { get; } = [];

        public int RetriesAfterFailure => Volatile.Read(ref _retries);

        public async Task WaitForAcknowledgementsAsync(int count)
        {
            while (Volatile.Read(ref _acknowledgements) < count)
            {
                Assert.True(DateTime.UtcNow < deadline, "the uploads made no progress before the failover");
                await Task.Delay(10, Ct);
            }
        }

        public async Task UploadSeveralAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                await UploadOneAsync(UploadId.New());
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
