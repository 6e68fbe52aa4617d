using System.Diagnostics;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Telemetry;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Observability.Instrumentation;

/// <summary>
/// Times commits and the release of one lease. When the holder is asked to hand over, a
/// "coordination.handover" span starts under the holder's request and ends when the lease is released,
/// so a trace shows how long the hand-over took.
/// </summary>
internal sealed class InstrumentedLease : IUploadLease
{
    private readonly IUploadLease _inner;
    private readonly string _backend;
    private readonly ActivityContext _requestContext;
    private readonly CancellationTokenRegistration _handOverRegistration;
    private readonly CancellationTokenRegistration _lostRegistration;
    private Activity? _handOver;
    private int _released;

    public InstrumentedLease(IUploadLease inner, string backend, Activity? request)
    {
        _inner = inner;
        _backend = backend;
        _requestContext = request?.Context ?? default;
        _handOverRegistration = inner.HandOverRequested.UnsafeRegister(static s => ((InstrumentedLease)s!).OnHandOverRequested(), this);
        _lostRegistration = inner.Lost.UnsafeRegister(static s => ((InstrumentedLease)s!).OnLost(), this);
    }

    public string UploadId => _inner.UploadId;

    public long FencingToken => _inner.FencingToken;

    public UploadRecord? Record => _inner.Record;

    public CancellationToken HandOverRequested => _inner.HandOverRequested;

    public CancellationToken Lost => _inner.Lost;

    public ValueTask<UploadRecord> CommitAsync(UploadRecord record, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken) =>
        MeasureAsync("commit", () => _inner.CommitAsync(record, events, cancellationToken), cancellationToken);

    public async ValueTask<UploadRecord> CommitAndReleaseAsync(UploadRecord record, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken)
    {
        // The lease is released whatever the outcome: stop watching it before the backend cancels its tokens.
        StopWatching();
        try
        {
            return await MeasureAsync("commit_release", () => _inner.CommitAndReleaseAsync(record, events, cancellationToken), cancellationToken);
        }
        finally
        {
            EndHandOver();
        }
    }

    public async ValueTask RemoveAsync(CancellationToken cancellationToken) =>
        await MeasureAsync("remove", async () => { await _inner.RemoveAsync(cancellationToken); return true; }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (!StopWatching())
        {
            await _inner.DisposeAsync();
            return;
        }

        var scope = OperationScope.Coordination(_backend, "release", UploadId);
        try
        {
            await _inner.DisposeAsync();
            scope.Succeeded();
        }
        catch (Exception e)
        {
            scope.Failed(e, OperationScope.IsBackendError(e, CancellationToken.None));
            throw;
        }
        finally
        {
            EndHandOver();
        }
    }

    private ValueTask<T> MeasureAsync<T>(string operation, Func<ValueTask<T>> call, CancellationToken cancellationToken) =>
        OperationScope.CoordinationAsync(_backend, operation, UploadId, call, cancellationToken, CountLost);

    /// <summary>A refused commit means a newer holder took over: the lease was lost even if its token did not say so yet.</summary>
    private void CountLost(Exception exception)
    {
        if (exception is LeaseLostException && !_inner.Lost.IsCancellationRequested)
        {
            OnLost();
        }
    }

    /// <summary>Returns true the first time: the lease was still held by this wrapper's account.</summary>
    private bool StopWatching()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return false;
        }

        _handOverRegistration.Dispose();
        _lostRegistration.Dispose();
        return true;
    }

    private void OnHandOverRequested()
    {
        CoordinationTelemetry.HandOvers.Add(1, new KeyValuePair<string, object?>(CoordinationTelemetry.BackendTag, _backend));

        // This runs on whichever thread asked for the hand-over: the span must not become its current activity.
        var current = Activity.Current;
        var handOver = CoordinationTelemetry.ActivitySource.StartActivity("coordination.handover", ActivityKind.Internal, _requestContext);
        Activity.Current = current;
        handOver?.SetTag(CoordinationTelemetry.BackendTag, _backend);
        handOver?.SetTag(TusTelemetry.UploadIdTag, UploadId);
        StopDetached(Interlocked.Exchange(ref _handOver, handOver));
    }

    private void OnLost() => CoordinationTelemetry.LeasesLost.Add(1, new KeyValuePair<string, object?>(CoordinationTelemetry.BackendTag, _backend));

    private void EndHandOver() => StopDetached(Interlocked.Exchange(ref _handOver, null));

    private static void StopDetached(Activity? activity)
    {
        if (activity is null)
        {
            return;
        }

        var current = Activity.Current;
        activity.Dispose();
        Activity.Current = current;
    }
}
