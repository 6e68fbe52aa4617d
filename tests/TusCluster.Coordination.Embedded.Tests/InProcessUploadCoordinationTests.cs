using System.Collections.Immutable;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Embedded.Tests;

public sealed class InProcessUploadCoordinationTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _directory;

    public InProcessUploadCoordinationTests()
    {
        _directory = Path.Combine(_temp.Path, "meta");
    }

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Acquiring_a_free_upload_returns_a_lease_without_a_record()
    {
        var coordination = CoordinationFixture.Create(_directory);
        var id = UploadId.New();

        await using var lease = await coordination.AcquireAsync(id, CoordinationFixture.Generous, Ct);

        Assert.Equal(id, lease.UploadId);
        Assert.Null(lease.Record);
        Assert.False(lease.HandOverRequested.IsCancellationRequested);
        Assert.False(lease.Lost.IsCancellationRequested);
        Assert.Null(await coordination.GetAsync(id, Ct));
    }

    [Fact]
    public async Task Commit_creates_the_record_with_the_lease_token_as_its_fence()
    {
        var coordination = CoordinationFixture.Create(_directory);
        var id = UploadId.New();
        await using var lease = await coordination.AcquireAsync(id, CoordinationFixture.Generous, Ct);

        var stored = await lease.CommitAsync(CoordinationFixture.NewRecord(id, offset: 12) with { Fence = 1 }, Ct);

        Assert.Equal(lease.FencingToken, stored.Fence);
        Assert.Equal(12, stored.Offset);
        Assert.Same(stored, lease.Record);
        CoordinationFixture.AssertSameRecord(stored, await coordination.GetAsync(id, Ct));
    }

    [Fact]
    public async Task A_later_holder_gets_the_committed_record_with_its_lease()
    {
        var coordination = CoordinationFixture.Create(_directory);
        var id = UploadId.New();
        UploadRecord stored;
        await using (var first = await coordination.AcquireAsync(id, CoordinationFixture.Generous, Ct))
        {
            stored = await first.CommitAsync(CoordinationFixture.NewRecord(id, offset: 5), Ct);
        }

        await using var second = await coordination.AcquireAsync(id, CoordinationFixture.Generous, Ct);

        CoordinationFixture.AssertSameRecord(stored, second.Record);
    }

    [Fact]
    public async Task A_second_instance_on_the_same_directory_reads_the_same_record()
    {
        var id = UploadId.New();
        var partial = UploadId.New();
        UploadRecord stored;
        await using (var lease = await CoordinationFixture.Create(_directory).AcquireAsync(id, CoordinationFixture.Generous, Ct))
        {
            stored = await lease.CommitAsync(
                CoordinationFixture.NewRecord(id, offset: 1000, expiresAt: DateTimeOffset.UtcNow.AddDays(1)) with
                {
                    Kind = UploadKind.Final,
                    PartialIds = ImmutableArray.Create(partial),
                    Status = UploadStatus.Finished,
                    Length = null,
                },
                Ct);
        }

        var restarted = CoordinationFixture.Create(_directory);

        CoordinationFixture.AssertSameRecord(stored, await restarted.GetAsync(id, Ct));
        await using var again = await restarted.AcquireAsync(id, CoordinationFixture.Generous, Ct);
        CoordinationFixture.AssertSameRecord(stored, again.Record);
    }

    [Fact]
    public async Task Remove_deletes_the_record()
    {
        var coordination = CoordinationFixture.Create(_directory);
        var id = UploadId.New();
        await using (var lease = await coordination.AcquireAsync(id, CoordinationFixture.Generous, Ct))
        {
            await lease.CommitAsync(CoordinationFixture.NewRecord(id), Ct);
        }

        await using (var lease = await coordination.AcquireAsync(id, CoordinationFixture.Generous, Ct))
        {
            await lease.RemoveAsync(Ct);
            Assert.Null(lease.Record);
        }

        Assert.Null(await coordination.GetAsync(id, Ct));
        Assert.Null(await CoordinationFixture.Create(_directory).GetAsync(id, Ct));
        Assert.DoesNotContain(_temp.Entries(), entry => entry.EndsWith(".json", StringComparison.Ordinal) || entry.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Removing_an_upload_that_has_no_record_is_harmless()
    {
        var coordination = CoordinationFixture.Create(_directory);
        var id = UploadId.New();
        await using var lease = await coordination.AcquireAsync(id, CoordinationFixture.Generous, Ct);

        await lease.RemoveAsync(Ct);

        Assert.Null(await coordination.GetAsync(id, Ct));
    }

    [Fact]
    public async Task Records_of_different_uploads_are_independent()
    {
        var coordination = CoordinationFixture.Create(_directory);
        var first = UploadId.New();
        var second = UploadId.New();

        await using var a = await coordination.AcquireAsync(first, CoordinationFixture.Generous, Ct);
        await using var b = await coordination.AcquireAsync(second, CoordinationFixture.Generous, Ct);
        await a.CommitAsync(CoordinationFixture.NewRecord(first, offset: 1), Ct);
        await b.CommitAsync(CoordinationFixture.NewRecord(second, offset: 2), Ct);

        Assert.Equal(1, (await coordination.GetAsync(first, Ct))?.Offset);
        Assert.Equal(2, (await coordination.GetAsync(second, Ct))?.Offset);
        Assert.False(a.HandOverRequested.IsCancellationRequested);
        Assert.False(b.HandOverRequested.IsCancellationRequested);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../../etc")]
    [InlineData("../../../../../../../../../tmp/x")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("0123456789abcdef0123456789abcdeg")]
    [InlineData("0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef0123456789abcdef0")]
    [InlineData("0123456789abcdef/123456789abcdef")]
    [InlineData("..3456789abcdef0123456789abcdef0")]
    public async Task Ids_that_are_not_upload_ids_never_touch_the_file_system(string id)
    {
        var coordination = CoordinationFixture.Create(_directory);

        await Assert.ThrowsAsync<ArgumentException>(async () => await coordination.GetAsync(id, Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await coordination.AcquireAsync(id, CoordinationFixture.Generous, Ct));

        Assert.Empty(_temp.Entries());
        Assert.Empty(await coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, int.MaxValue, Ct));
    }

    [Fact]
    public async Task A_rejected_id_does_not_keep_its_lease()
    {
        var coordination = CoordinationFixture.Create(_directory);
        const string id = "../../etc";

        await Assert.ThrowsAsync<ArgumentException>(async () => await coordination.AcquireAsync(id, CoordinationFixture.Generous, Ct));

        // A lease left behind would make this wait for a hand-over and time out.
        await Assert.ThrowsAsync<ArgumentException>(async () => await coordination.AcquireAsync(id, TimeSpan.FromMilliseconds(200), Ct));
    }

    [Fact]
    public async Task Is_healthy_on_a_writable_directory()
    {
        var coordination = CoordinationFixture.Create(_directory);

        Assert.True(await coordination.IsHealthyAsync(Ct));
    }

    [Fact]
    public async Task Is_unhealthy_when_the_directory_lies_under_a_regular_file()
    {
        var file = Path.Combine(_temp.Path, "file.txt");
        await File.WriteAllTextAsync(file, "not a directory", Ct);
        var coordination = CoordinationFixture.Create(Path.Combine(file, "sub"));

        Assert.False(await coordination.IsHealthyAsync(Ct));
    }

    [Fact]
    public async Task A_commit_that_cannot_be_written_throws_coordination_unavailable()
    {
        var file = Path.Combine(_temp.Path, "file.txt");
        await File.WriteAllTextAsync(file, "not a directory", Ct);
        var coordination = CoordinationFixture.Create(Path.Combine(file, "sub"));
        var id = UploadId.New();
        await using var lease = await coordination.AcquireAsync(id, CoordinationFixture.Generous, Ct);

        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await lease.CommitAsync(CoordinationFixture.NewRecord(id), Ct));

        Assert.Equal(["file.txt"], _temp.Entries());
    }
}
