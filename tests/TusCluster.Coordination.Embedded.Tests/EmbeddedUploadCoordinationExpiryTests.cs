using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Embedded.Tests;

public sealed class EmbeddedUploadCoordinationExpiryTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TemporaryDirectory _temp = new();
    private readonly string _directory;

    public EmbeddedUploadCoordinationExpiryTests()
    {
        _directory = Path.Combine(_temp.Path, "meta");
    }

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_instance_rebuilds_the_index_from_disk()
    {
        var first = CoordinationFixture.Create(_directory);
        var ids = Enumerable.Range(0, 40).Select(_ => UploadId.New()).ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            await CommitAsync(first, ids[i], i % 4 == 3 ? null : Noon.AddMinutes(i));
        }

        var restarted = CoordinationFixture.Create(_directory);

        var expected = ids.Select((id, i) => (id, i)).Where(e => e.i % 4 != 3).Select(e => new ExpiryEntry(e.id, Noon.AddMinutes(e.i))).ToArray();
        Assert.Equal(expected, await restarted.ReadExpiredAsync(DateTimeOffset.MaxValue, int.MaxValue, Ct));
        Assert.Equal(expected.Where(e => e.ExpiresAt <= Noon.AddMinutes(6)), await restarted.ReadExpiredAsync(Noon.AddMinutes(6), 100, Ct));
        Assert.Equal(6, (await restarted.ReadExpiredAsync(Noon.AddMinutes(6), 100, Ct)).Count);
    }

    [Fact]
    public async Task Commits_made_while_the_index_is_rebuilt_win_over_what_was_on_disk()
    {
        var id = UploadId.New();
        await CommitAsync(CoordinationFixture.Create(_directory), id, Noon.AddHours(-1));
        var restarted = CoordinationFixture.Create(_directory);

        await CommitAsync(restarted, id, Noon.AddHours(1));

        Assert.Equal([new ExpiryEntry(id, Noon.AddHours(1))], await restarted.ReadExpiredAsync(DateTimeOffset.MaxValue, 10, Ct));
    }

    private static async Task CommitAsync(EmbeddedUploadCoordination coordination, string id, DateTimeOffset? expiresAt)
    {
        await using var lease = await coordination.AcquireAsync(id, CoordinationFixture.Generous, Ct);
        var record = lease.Record ?? CoordinationFixture.NewRecord(id);
        await lease.CommitAsync(record with { ExpiresAt = expiresAt }, Ct);
    }
}
