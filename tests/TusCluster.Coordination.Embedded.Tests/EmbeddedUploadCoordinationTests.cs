using System.Collections.Immutable;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Embedded.Tests;

public sealed class EmbeddedUploadCoordinationTests : IDisposable
{
    private readonly TemporaryDirectory _temp = new();
    private readonly string _directory;

    public EmbeddedUploadCoordinationTests()
    {
        _directory = Path.Combine(_temp.Path, "meta");
    }

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
