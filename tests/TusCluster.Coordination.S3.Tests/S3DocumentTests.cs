using TusCluster.Coordination.Contract;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.S3.Tests;

/// <summary>What only this backend has: the document as a tombstone, early expiry keys, hand-over request keys.</summary>
public sealed class S3DocumentTests(CephServer server) : IAsyncDisposable
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly S3UploadCoordination _coordination = Fixtures.Create(server.Ceph, $"d-{Guid.NewGuid():N}/");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_removed_upload_keeps_its_fence_in_a_tombstone_so_the_next_holder_draws_a_higher_one()
    {
        var id = UploadId.New();
        long removedUnder;
        await using (var lease = await _coordination.AcquireAsync(id, TimeSpan.FromSeconds(30), Ct))
        {
            await lease.CommitAsync(TestRecords.New(id, offset: 1), Ct);
            await lease.RemoveAsync(Ct);
            removedUnder = lease.FencingToken;
        }

        var (document, _) = await _coordination.ReadAsync(id, Ct);
        Assert.NotNull(document);
        Assert.Null(document.Record);
        Assert.Equal(removedUnder, document.Fence);
        await using var next = await _coordination.AcquireAsync(id, TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(removedUnder + 1, next.FencingToken);
        Assert.Null(next.Record);
    }

    [Fact]
    public async Task A_sliding_expiry_keeps_the_early_key_and_a_read_moves_it_to_the_exact_time()
    {
        var id = UploadId.New();
        await using (var lease = await _coordination.AcquireAsync(id, TimeSpan.FromSeconds(30), Ct))
        {
            await lease.CommitAsync(TestRecords.New(id, expiresAt: Noon), Ct);
            await lease.CommitAsync(TestRecords.New(id, offset: 1, expiresAt: Noon.AddHours(1)), Ct);
        }

        var early = _coordination.Keys.Expiry(id, Noon);
        Assert.Equal(early, (await _coordination.ReadAsync(id, Ct)).Document?.ExpiryKey);

        Assert.Empty(await _coordination.ReadExpiredAsync(Noon.AddMinutes(30), 10, Ct));

        var exact = _coordination.Keys.Expiry(id, Noon.AddHours(1));
        await Eventually.HoldsAsync(
            async () => (await _coordination.ReadAsync(id, Ct)).Document?.ExpiryKey == exact,
            "the early key to be moved to the record's expiry");
        Assert.Equal([id], (await _coordination.ReadExpiredAsync(Noon.AddHours(1), 10, Ct)).Select(e => e.UploadId));
    }

    [Fact]
    public async Task A_hand_over_request_is_a_key_naming_the_holders_fence_and_the_release_removes_it()
    {
        await using var other = Fixtures.Create(server.Ceph, _coordination.Options.KeyPrefix);
        var id = UploadId.New();
        var holder = await _coordination.AcquireAsync(id, TimeSpan.FromSeconds(30), Ct);
        using var handOver = holder.HandOverRequested.Register(() => _ = holder.DisposeAsync().AsTask());

        await using var next = await other.AcquireAsync(id, TimeSpan.FromSeconds(10), Ct);

        Assert.True(holder.HandOverRequested.IsCancellationRequested);
        var request = _coordination.Keys.HandOver(id, holder.FencingToken);
        await Eventually.HoldsAsync(
            async () => (await _coordination.Objects.ListAsync(request, null, 10, Ct)).S3Objects is not { Count: > 0 },
            "the released holder to remove its hand-over request");
    }

    [Fact]
    public async Task A_hand_over_request_nobody_repeats_for_two_lease_ttls_is_removed_by_a_replicas_poll()
    {
        // Left by a waiter whose holder released before seeing it (releases nobody asked for delete nothing).
        var abandoned = _coordination.Keys.HandOver(UploadId.New(), 7);
        await _coordination.Objects.PutMarkerAsync(abandoned, Ct);

        // The poll runs only while this replica holds a lease.
        await using var held = await _coordination.AcquireAsync(UploadId.New(), TimeSpan.FromSeconds(30), Ct);
        await Eventually.HoldsAsync(
            async () => (await _coordination.Objects.ListAsync(abandoned, null, 10, Ct)).S3Objects is not { Count: > 0 },
            "the abandoned hand-over request to be removed");
    }

    public ValueTask DisposeAsync() => _coordination.DisposeAsync();
}
