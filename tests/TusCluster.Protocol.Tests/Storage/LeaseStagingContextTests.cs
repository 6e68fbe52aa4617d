using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Tests.Storage;

public sealed class LeaseStagingContextTests
{
    private static readonly UploadRecord Upload = new() { Id = "u1", Length = 100, Offset = 40, Metadata = "name bmFtZQ==", StoreState = "before" };

    [Fact]
    public async Task A_reservation_commits_the_store_state_and_nothing_else()
    {
        var lease = new RecordingLease(Upload with { StoreState = "committed" }, fencingToken: 9);
        var staging = new LeaseStagingContext(lease, Upload);

        await staging.CommitStoreStateAsync("reserved", CancellationToken.None);

        Assert.Equal(9, staging.FencingToken);
        Assert.True(staging.RecordExists);
        var committed = Assert.Single(lease.Commits);
        Assert.Equal(Upload with { StoreState = "reserved" }, committed);
        Assert.False(lease.Disposed);
    }

    [Fact]
    public async Task An_upload_being_created_cannot_be_committed_through_its_staging_context()
    {
        var lease = new RecordingLease(record: null, fencingToken: 3);
        var staging = new LeaseStagingContext(lease, Upload);

        Assert.False(staging.RecordExists);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await staging.CommitStoreStateAsync("reserved", CancellationToken.None));
        Assert.Empty(lease.Commits);
    }

    private sealed class RecordingLease(UploadRecord? record, long fencingToken) : IUploadLease
    {
        public List<UploadRecord> Commits { get; } = [];

        public bool Disposed { get; private set; }

        public string UploadId => Upload.Id;

        public long FencingToken => fencingToken;

        public UploadRecord? Record => record;

        public CancellationToken HandOverRequested => CancellationToken.None;

        public CancellationToken Lost => CancellationToken.None;

        public ValueTask<UploadRecord> CommitAsync(UploadRecord record, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken)
        {
            Assert.Empty(events);
            Commits.Add(record);
            return ValueTask.FromResult(record);
        }

        public ValueTask RemoveAsync(CancellationToken cancellationToken) => throw new NotSupportedException("a staging context must not remove");

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
