using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;
using static TusCluster.Storage.S3.Tests.S3StoreHarness;

namespace TusCluster.Storage.S3.Tests;

/// <summary>
/// Stale writers. The embedded lease cannot expire, so releasing it stands in for losing it: from then
/// on its commits fail with <see cref="LeaseLostException"/>, exactly as a lost Redis or etcd lease's do.
/// </summary>
public sealed class S3UploadStoreFencingTests(S3TestServer ceph)
{
    [Fact]
    public async Task AStaleWritersReservedPartNeverReachesTheFinalObject()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var part = s3.PartSize;
        var stale = RandomBytes(part + 100, seed: 10);
        var fresh = RandomBytes(part + 10, seed: 11);
        var record = await s3.CreateAsync(fresh.Length);

        // A reserves a part number, uploads a full part into it and stalls mid-body.
        var a = await s3.AcquireAsync(record.Id);
        var gate = new TaskCompletionSource();
        var staleBody = new TrickleStream(stale, maxRead: 64 * 1024, gate: gate.Task, rest: [1, 2, 3]);
        var staging = s3.Store.StageAsync(a.Record!, a, staleBody, Ct).AsTask();
        await staleBody.AtGate.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await WaitForUploadedPartAsync(s3, record, partNumber: 1);
        await a.DisposeAsync();

        // B writes the whole upload meanwhile.
        record = await s3.AppendAsync(record.Id, fresh);
        Assert.Equal(UploadStatus.Finished, record.Status);

        // A wakes up: its bytes are staged, but its commit is refused and the engine discards them.
        gate.SetResult();
        var staleChunk = await staging;
        Assert.Equal(stale.Length + 3, staleChunk.Length);
        await Assert.ThrowsAsync<LeaseLostException>(() => a.CommitAsync(a.Record! with { Offset = staleChunk.Length, StoreState = staleChunk.StoreState }, Ct).AsTask());
        await s3.Store.DiscardAsync(a.Record!, staleChunk, Ct);

        Assert.Equal(fresh, await s3.ReadAsync(record));
        Assert.Equal([s3.Bucket.Keys.Object(record)], await s3.ListKeysAsync());
    }

    [Fact]
    public async Task AFinisherThatDiedBetweenTheTwoStepsOfLeavingOutStrayPartsIsResumed()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var content = RandomBytes(2 * s3.PartSize + 9, seed: 21);
        var record = await s3.CreateAsync(content.Length);
        record = await s3.AppendAsync(record.Id, content[..s3.PartSize]);

        // A chunk whose part was uploaded under a committed reservation but which was then discarded.
        await using (var lease = await s3.AcquireAsync(record.Id))
        {
            var rejected = await s3.Store.StageAsync(lease.Record!, lease, new MemoryStream(RandomBytes(s3.PartSize, seed: 22)), Ct);
            await s3.Store.DiscardAsync(lease.Record!, rejected, Ct);
        }

        record = await s3.AppendAsync(record.Id, content[s3.PartSize..^9]);
        await using (var lease = await s3.AcquireAsync(record.Id))
        {
            var staged = await s3.Store.StageAsync(lease.Record!, lease, new MemoryStream(content[^9..]), Ct);
            record = await lease.CommitAsync(lease.Record! with { Offset = content.Length, StoreState = staged.StoreState }, Ct);
        }

        // The first step only (every part, stray one included, in one object), then the finisher dies.
        var state = S3UploadState.Parse(record.StoreState);
        var key = s3.Bucket.Keys.Object(record);
        var tailPart = await s3.Bucket.CopyPartAsync(key, state.MultipartUploadId!, state.NextPart, state.Tail!.Key, 0, 8, Ct);
        await new StrayPartCompletion(s3.Bucket).AssembleEveryPartAsync(key, state.MultipartUploadId!, state.Parts.Add(tailPart), Ct);
        Assert.Equal(content.Length + s3.PartSize, (await s3.Client.GetObjectMetadataAsync(s3.Options.Bucket, key, Ct)).ContentLength);

        await s3.Store.CompleteAsync(record, Ct);

        Assert.Equal(content, await s3.ReadAsync(record with { Status = UploadStatus.Finished }));
        Assert.Equal([key], await s3.ListKeysAsync());
        Assert.Empty(await s3.ListMultipartAsync());
    }

    /// <summary>The stale part must be in the multipart upload before the fresh writer completes it.</summary>
    private static async Task WaitForUploadedPartAsync(S3StoreHarness s3, UploadRecord record, int partNumber)
    {
        var key = s3.Bucket.Keys.Object(record);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var uploadId = S3UploadState.Parse((await s3.Coordination.GetAsync(record.Id, Ct))!.StoreState).MultipartUploadId;
            if (uploadId is not null)
            {
                var parts = await s3.Client.ListPartsAsync(new Amazon.S3.Model.ListPartsRequest { BucketName = s3.Options.Bucket, Key = key, UploadId = uploadId }, Ct);
                if ((parts.Parts ?? []).Any(p => p.PartNumber == partNumber))
                {
                    return;
                }
            }

            await Task.Delay(50, Ct);
        }

        throw new TimeoutException($"Part {partNumber} of {record.Id} was never uploaded.");
    }

    [Fact]
    public async Task AWriterThatLostItsLeaseCannotReserveAPart()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var part = s3.PartSize;
        var record = await s3.CreateAsync(3L * part);
        record = await s3.AppendAsync(record.Id, RandomBytes(10, seed: 12));

        var a = await s3.AcquireAsync(record.Id);
        var gate = new TaskCompletionSource();
        var body = new TrickleStream(RandomBytes(100, seed: 13), gate: gate.Task, rest: RandomBytes(part, seed: 14));
        var staging = s3.Store.StageAsync(a.Record!, a, body, Ct).AsTask();
        await body.AtGate.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await a.DisposeAsync();
        await using (var b = await s3.AcquireAsync(record.Id))
        {
            Assert.Equal(record.StoreState, b.Record!.StoreState);
        }

        gate.SetResult();
        await Assert.ThrowsAsync<LeaseLostException>(() => staging);

        // The committed tail is untouched and the stale writer left no object of its own.
        var keys = await s3.ListKeysAsync();
        Assert.Single(keys);
        Assert.Equal(S3UploadState.Parse(record.StoreState).Tail!.Key, keys[0]);
        Assert.Empty(await s3.ListMultipartAsync());
    }

    [Fact]
    public async Task ReservationsAreCommittedAndCarriedForward()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var part = s3.PartSize;
        var record = await s3.CreateAsync(3L * part);
        record = await s3.AppendAsync(record.Id, RandomBytes(2 * part + 5, seed: 15));

        var state = S3UploadState.Parse(record.StoreState);
        Assert.NotNull(state.MultipartUploadId);
        Assert.Equal([1, 2], state.Parts.Select(p => p.Number));
        Assert.Equal(3, state.NextPart);
        Assert.Equal(5, state.Tail!.Size);
        Assert.DoesNotContain("\\u0022", record.StoreState, StringComparison.Ordinal);
        Assert.Equal(state.Tail, S3UploadState.Parse(state.Format()).Tail);
        Assert.Equal(state.Parts, S3UploadState.Parse(state.Format()).Parts);
    }

    [Fact]
    public async Task DiscardRemovesOnlyTheWritersOwnTail()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var record = await s3.CreateAsync(100);
        record = await s3.AppendAsync(record.Id, RandomBytes(10, seed: 16));
        var committedTail = S3UploadState.Parse(record.StoreState).Tail!.Key;

        await using var lease = await s3.AcquireAsync(record.Id);
        var staged = await s3.Store.StageAsync(lease.Record!, lease, new MemoryStream(RandomBytes(20, seed: 17)), Ct);
        Assert.Equal(2, (await s3.ListKeysAsync()).Count);

        // A checksum mismatch, say: the chunk is thrown away, the committed bytes stay.
        await s3.Store.DiscardAsync(lease.Record!, staged, Ct);
        await s3.Store.SettleAsync(lease.Record!, Ct);

        Assert.Equal([committedTail], await s3.ListKeysAsync());
    }

    [Fact]
    public async Task ABrandNewUploadDiscardedWithAPartLeavesNoMultipartUpload()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var record = new UploadRecord { Id = UploadId.New(), Length = s3.PartSize + 1L, CreatedAt = DateTimeOffset.UtcNow };

        // Creation-with-upload: no record exists yet, so nothing is reserved through the lease.
        await using var lease = await s3.AcquireAsync(record.Id);
        Assert.Null(lease.Record);
        var staged = await s3.Store.StageAsync(record, lease, new MemoryStream(RandomBytes(s3.PartSize + 1, seed: 18)), Ct);
        Assert.Null(await s3.Coordination.GetAsync(record.Id, Ct));
        Assert.Single(await s3.ListMultipartAsync());

        await s3.Store.DiscardAsync(record, staged, Ct);

        Assert.Empty(await s3.ListMultipartAsync());
        Assert.Empty(await s3.ListKeysAsync());
    }

    [Fact]
    public async Task SettlingIsIdempotentAndSafeAfterTheLeaseIsGone()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var content = RandomBytes(30, seed: 19);
        var record = await s3.CreateAsync(100);
        record = await s3.AppendAsync(record.Id, content[..10]);
        var first = record;
        record = await s3.AppendAsync(record.Id, content[10..]);

        // Late and repeated settlers of both versions, concurrently, after every lease is released.
        await Task.WhenAll(
            s3.Store.SettleAsync(first, Ct).AsTask(),
            s3.Store.SettleAsync(record, Ct).AsTask(),
            s3.Store.SettleAsync(record, Ct).AsTask());

        Assert.Equal([S3UploadState.Parse(record.StoreState).Tail!.Key], await s3.ListKeysAsync());
        record = await s3.AppendAsync(record.Id, RandomBytes(70, seed: 20));
        Assert.Equal(UploadStatus.Finished, record.Status);
        byte[] expected = [.. content, .. RandomBytes(70, seed: 20)];
        Assert.Equal(expected, await s3.ReadAsync(record));
    }
}
