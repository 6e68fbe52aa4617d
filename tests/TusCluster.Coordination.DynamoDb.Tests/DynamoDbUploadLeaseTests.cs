using System.Diagnostics;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.DynamoDb.Tests;

public sealed class DynamoDbUploadLeaseTests(DynaliteServerFixture dynalite) : IClassFixture<DynaliteServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task On_dynalite_which_has_no_transactions_a_commit_with_events_is_unavailable_and_stores_nothing()
    {
        await using var coordination = Fixtures.Create(dynalite);
        var id = UploadId.New();
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        var first = await lease.CommitAsync(Fixtures.NewRecord(id, offset: 1), Ct);
        var entry = new OutboxEntry { Id = UploadId.New(), UploadId = id, DueAt = DateTimeOffset.UnixEpoch, Payload = "{}" };

        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await lease.CommitAsync(first with { Offset = 2 }, [entry], Ct));

        Assert.Equal(1, (await coordination.GetAsync(id, Ct))?.Offset);
        Assert.Empty(await coordination.ReadDueEventsAsync(DateTimeOffset.MaxValue, 10, Ct));
    }

    [Fact]
    public async Task The_item_holds_the_record_as_json_the_fence_and_no_lock_after_release()
    {
        await using var coordination = Fixtures.Create(dynalite);
        var id = UploadId.New();
        long token;
        await using (var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            token = lease.FencingToken;
            var held = await RawItems.GetAsync(coordination, id);
            Assert.Equal(token.ToString(System.Globalization.CultureInfo.InvariantCulture), held["lockToken"].N);
            Assert.True(held.ContainsKey("lockExpires"));
            await lease.CommitAsync(Fixtures.NewRecord(id) with { Status = UploadStatus.Terminated }, Ct);
        }

        var item = await RawItems.GetAsync(coordination, id);
        Assert.Contains("\"Status\":\"Terminated\"", item["record"].S, StringComparison.Ordinal);
        Assert.Equal(token.ToString(System.Globalization.CultureInfo.InvariantCulture), item["fence"].N);
        Assert.False(item.ContainsKey("lockToken"));
        Assert.False(item.ContainsKey("lockOwner"));
        Assert.False(item.ContainsKey("lockExpires"));
        Assert.False(item.ContainsKey("expShard"));
    }

    [Fact]
    public async Task Fencing_tokens_stay_above_the_stored_fence_even_when_the_counter_is_behind()
    {
        await using var coordination = Fixtures.Create(dynalite);
        var id = UploadId.New();
        UploadRecord stored;
        await using (var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            stored = await lease.CommitAsync(Fixtures.NewRecord(id), Ct);
        }

        // A record written elsewhere (the embedded backend seeds tokens with clock ticks, past 2^53),
        // and a counter behind it.
        const long Huge = 638_999_999_999_999_999;
        var imported = UploadRecordJson.SerializeToString(stored with { Fence = Huge });
        await RawItems.SetAsync(coordination, id, "record", new() { S = imported });
        await RawItems.SetAsync(coordination, id, "fence", RawItems.Number(3));

        await using (var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            Assert.Equal(Huge + 1, lease.FencingToken);
            Assert.Equal(Huge + 1, (await lease.CommitAsync(lease.Record!, Ct)).Fence);
        }

        await RawItems.RemoveAsync(coordination, id, "fence");
        await using var next = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        Assert.Equal(Huge + 2, next.FencingToken);
    }

    [Fact]
    public async Task Acquire_and_commit_and_release_take_one_request_each_and_the_lock_is_free_after()
    {
        // A TTL far beyond the test, so that no renewal runs in between.
        await using var a = Fixtures.Create(dynalite, o => o.LeaseTtl = TimeSpan.FromMinutes(1));
        await using var b = Fixtures.Create(dynalite);
        var id = UploadId.New();
        await a.EnsureTableAsync(Ct);
        var before = await dynalite.Server.RequestsAsync();

        var lease = await a.AcquireAsync(id, Fixtures.Generous, Ct);
        var acquired = await dynalite.Server.RequestsAsync();
        var stored = await lease.CommitAndReleaseAsync(Fixtures.NewRecord(id, offset: 9, expiresAt: DateTimeOffset.UnixEpoch.AddDays(1)), Ct);
        var released = await dynalite.Server.RequestsAsync();

        Assert.Equal(1, acquired.Of("UpdateItem") - before.Of("UpdateItem"));
        Assert.Equal(1, released.Of("UpdateItem") - acquired.Of("UpdateItem"));
        Assert.Equal(0, released.Of("GetItem") - before.Of("GetItem"));
        Assert.Equal(0, released.Of("PutItem") - before.Of("PutItem"));
        Assert.Equal(lease.FencingToken, stored.Fence);

        // Released by that one request: another replica gets the lease at once, with the record.
        await using var next = await b.AcquireAsync(id, TimeSpan.Zero, Ct);
        Fixtures.AssertSameRecord(stored, next.Record);
        Assert.True(next.FencingToken > lease.FencingToken);
        await lease.DisposeAsync();
        Assert.False((await RawItems.GetAsync(b, id)).ContainsKey("handOver"));
        await next.CommitAsync(stored with { Offset = 10 }, Ct);
    }

    [Fact]
    public async Task Hand_over_within_one_replica_is_signalled_without_the_poll()
    {
        await using var coordination = Fixtures.Create(dynalite, o => (o.HandOverPollInterval, o.LeaseTtl) = (TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30)));
        var id = UploadId.New();
        var holder = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        using var registration = holder.HandOverRequested.Register(() => _ = holder.CommitAndReleaseAsync(Fixtures.NewRecord(id, offset: 4), Ct).AsTask());
        var watch = Stopwatch.StartNew();

        await using var next = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);

        // Far below the 20 s poll: the request reached the holder in-process.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the hand-over took {watch.Elapsed}");
        Assert.Equal(4, next.Record?.Offset);
    }
}
