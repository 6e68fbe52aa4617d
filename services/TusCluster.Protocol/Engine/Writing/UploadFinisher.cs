using Microsoft.Extensions.DependencyInjection;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Engine.Events;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Telemetry;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Engine.Writing;

/// <summary>
/// Turns a complete upload into a finished one: settle the last chunk, let the store build the final
/// object, then commit <see cref="UploadStatus.Finished"/>. Every step is idempotent, so an upload whose
/// writer died between the steps is finished by whichever request needs it next.
/// </summary>
internal sealed class UploadFinisher(IUploadStore store, UploadClock clock, IServiceProvider services) : IStrandedUploadFinisher
{
    public async Task<UploadRecord> FinishAsync(IUploadLease lease, UploadRecord record, CancellationToken cancellationToken)
    {
        using var activity = Spans.StartChild(TusTelemetry.ActivitySource, "tus.upload.finish");
        await store.SettleAsync(record, cancellationToken);
        var state = await store.CompleteAsync(record, cancellationToken);
        var finished = await lease.CommitAsync(
            record with { Status = UploadStatus.Finished, ExpiresAt = clock.FinishedExpiryFromNow(), StoreState = state },
            cancellationToken);
        TusTelemetry.UploadFinished(finished.Kind);
        return finished;
    }

    /// <summary>
    /// For readers (GET, concatenation): returns the record finished, finishing it under its lock when
    /// all bytes are there but the writer stopped before the last step. Null when bytes are missing.
    /// </summary>
    public async Task<UploadRecord?> EnsureFinishedAsync(UploadRecord record, CancellationToken cancellationToken)
    {
        if (record.Status == UploadStatus.Finished)
        {
            return record;
        }

        if (!record.IsComplete || record.Status != UploadStatus.Active)
        {
            return null;
        }

        // Resolved late: the leases depend on the hooks, which may depend on the engine's services.
        await using var lease = await services.GetRequiredService<RequestLeases>().AcquireAsync(record.Id, cancellationToken);
        var current = lease.Record;
        if (current is null || current.Status != UploadStatus.Active || !current.IsComplete)
        {
            return current is { Status: UploadStatus.Finished } ? current : null;
        }

        return await FinishAsync(lease, current, cancellationToken);
    }

    Task<UploadRecord?> IStrandedUploadFinisher.FinishAsync(UploadRecord record, CancellationToken cancellationToken) =>
        EnsureFinishedAsync(record, cancellationToken);
}
