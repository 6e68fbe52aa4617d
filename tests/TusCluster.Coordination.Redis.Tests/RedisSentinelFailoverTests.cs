using System.Collections.Concurrent;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Redis.Tests;

/// <summary>
/// The primary is SIGKILLed while uploads commit through a Sentinel-configured coordination with
/// WaitForReplicas=1; Sentinel promotes the replica and the uploads finish. Every offset a commit
/// acknowledged survives the failover, which asynchronous replication alone would not promise.
/// </summary>
public sealed class RedisSentinelFailoverTests
{
    private const int Workers = 3;
    private const int UploadsPerWorker = 4;
    private const long Step = 50;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Acknowledged_offsets_and_finished_uploads_survive_a_sentinel_failover()
    {
        await using var topology = await SentinelTopology.StartAsync();
        await using var coordination = Fixtures.Create(topology.Primary, o =>
        {
            (o.Endpoint, o.Configuration) = (null, topology.Configuration);
            (o.WaitForReplicas, o.WaitTimeout) = (1, TimeSpan.FromMilliseconds(300));
            (o.LeaseTtl, o.CommandTimeout, o.ConnectTimeout) = (TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(1));
        });
        var run = new FailoverRun(coordination, DateTime.UtcNow + Deadline);

        var uploads = Enumerable.Range(0, Workers).Select(_ => Task.Run(() => run.UploadSeveralAsync(UploadsPerWorker), Ct)).ToArray();

        // Mid-run: the primary dies, the sentinel promotes the replica, and a new replica joins it so
        // that WAIT can be satisfied again (what an operator or orchestrator would do).
        await run.WaitForAcknowledgementsAsync(20);
        await topology.Primary.KillAsync();
        var acknowledgedBeforeKill = run.Acknowledged.ToDictionary();
        await topology.WaitUntilAsync(async () => await topology.PrimaryPortAsync() == topology.Replica.Port, "the sentinel to promote the replica");
        await topology.AddReplicaAsync(topology.Replica);

        await Task.WhenAll(uploads).WaitAsync(Deadline, Ct);

        Assert.Equal(Workers * UploadsPerWorker, run.Finished.Count);
        Assert.True(run.RetriesAfterFailure > 0, "no operation failed: the failover happened outside the run");
        Assert.Empty(run.WentBack);
        foreach (var (id, acknowledged) in acknowledgedBeforeKill)
        {
            Assert.True((await coordination.GetAsync(id, Ct))?.Offset >= acknowledged, $"upload {id} fell below its acknowledged offset {acknowledged}");
        }

        foreach (var id in run.Finished)
        {
            Assert.Equal(TestRecordLength, (await coordination.GetAsync(id, Ct))?.Offset);
        }
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
