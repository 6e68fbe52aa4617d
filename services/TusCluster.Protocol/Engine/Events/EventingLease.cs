using Microsoft.AspNetCore.Http;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Events;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Engine.Events;

/// <summary>
/// A lease whose commits carry the events they cause. Events follow from what a commit changes, so
/// every path that creates, appends to, finishes or terminates an upload raises them alike: a first
/// commit is post-create, a grown offset post-receive (throttled per upload through the record), the
/// step to finished post-finish, the step to terminated post-terminate. The post-* events go into the
/// outbox in the commit's own atomic step and are handed to delivery once it succeeded. pre-finish runs
/// before the commit that makes an upload complete; if it refuses, nothing is committed.
/// </summary>
internal sealed class EventingLease(IUploadLease inner, HttpContext? context, UploadEventFactory factory, IUploadHooks hooks, UploadClock clock) : IUploadLease
{
    private UploadRecord? _committed = inner.Record;

    public string UploadId => inner.UploadId;

    public long FencingToken => inner.FencingToken;

    public UploadRecord? Record => inner.Record;

    public CancellationToken HandOverRequested => inner.HandOverRequested;

    public CancellationToken Lost => inner.Lost;

    public async ValueTask<UploadRecord> CommitAsync(UploadRecord record, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken)
    {
        var (next, entries) = await PrepareAsync(record, events, cancellationToken);
        var stored = await inner.CommitAsync(next, entries, cancellationToken);
        Committed(stored, entries);
        return stored;
    }

    public async ValueTask<UploadRecord> CommitAndReleaseAsync(UploadRecord record, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken)
    {
        IReadOnlyList<OutboxEntry> entries;
        try
        {
            (record, entries) = await PrepareAsync(record, events, cancellationToken);
        }
        catch
        {
            await inner.DisposeAsync();
            throw;
        }

        var stored = await inner.CommitAndReleaseAsync(record, entries, cancellationToken);
        Committed(stored, entries);
        return stored;
    }

    public ValueTask RemoveAsync(CancellationToken cancellationToken) => inner.RemoveAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private async ValueTask<(UploadRecord Record, IReadOnlyList<OutboxEntry> Entries)> PrepareAsync(UploadRecord record, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken)
    {
        var before = _committed;
        if (record.IsComplete && before is not { IsComplete: true } && record.Status != UploadStatus.Terminated && hooks.IsEnabled(UploadEventType.PreFinish))
        {
            var decision = await hooks.RunBlockingAsync(factory.Create(UploadEventType.PreFinish, factory.Snapshot(record with { Fence = FencingToken }), context), cancellationToken);
            HookAnswers.ApplyPreFinish(context, decision);
        }

        var types = new List<UploadEventType>(2);
        if (before is null && record.Status != UploadStatus.Terminated)
        {
            types.Add(UploadEventType.PostCreate);
        }

        if (record.Offset > (before?.Offset ?? 0) && hooks.IsEnabled(UploadEventType.PostReceive) && ReceiveIsDue(record))
        {
            types.Add(UploadEventType.PostReceive);
            record = record with { ReceiveReportedAt = clock.Now };
        }

        if (record.Status == UploadStatus.Finished && before?.Status != UploadStatus.Finished)
        {
            types.Add(UploadEventType.PostFinish);
        }

        if (record.Status == UploadStatus.Terminated && before?.Status != UploadStatus.Terminated)
        {
            types.Add(UploadEventType.PostTerminate);
        }

        var enabled = types.Where(hooks.IsEnabled).ToArray();
        if (enabled.Length == 0)
        {
            return (record, events);
        }

        var snapshot = factory.Snapshot(record with { Fence = FencingToken });
        return (record, [.. events, .. enabled.Select(type => factory.ToOutboxEntry(factory.Create(type, snapshot, context)))]);
    }

    /// <summary>The last chunk always reports, so a receiver following progress sees 100 %.</summary>
    private bool ReceiveIsDue(UploadRecord record) =>
        record.IsComplete || record.ReceiveReportedAt is not { } last || clock.Now - last >= hooks.PostReceiveInterval;

    private void Committed(UploadRecord stored, IReadOnlyList<OutboxEntry> entries)
    {
        _committed = stored;
        if (entries.Count > 0)
        {
            hooks.Committed(entries);
        }
    }
}
