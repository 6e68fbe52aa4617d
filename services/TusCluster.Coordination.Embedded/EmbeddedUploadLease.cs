using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Embedded;

/// <summary>A lease held in this process. It cannot expire: only its holder or a hand-over ends it.</summary>
internal sealed class EmbeddedUploadLease(EmbeddedUploadCoordination owner, string uploadId) : IUploadLease
{
    private readonly CancellationTokenSource _handOver = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string UploadId { get; } = uploadId;

    public long FencingToken { get; internal set; }

    public UploadRecord? Record { get; internal set; }

    public CancellationToken HandOverRequested => _handOver.Token;

    public CancellationToken Lost => CancellationToken.None;

    internal Task Released => _released.Task;

    public ValueTask<UploadRecord> CommitAsync(UploadRecord record, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken)
    {
        OutboxEntries.Validate(UploadId, events);
        var stored = record with { Fence = FencingToken };
        owner.Commit(this, stored, events);
        Record = stored;
        return ValueTask.FromResult(stored);
    }

    public ValueTask RemoveAsync(CancellationToken cancellationToken)
    {
        owner.Remove(this);
        Record = null;
        return ValueTask.CompletedTask;
    }

    internal void RequestHandOver()
    {
        try
        {
            _handOver.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Released meanwhile: nothing to hand over.
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_released.Task.IsCompleted)
        {
            owner.Release(this);
            _released.TrySetResult();
            _handOver.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
