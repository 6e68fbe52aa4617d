using System.Diagnostics;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Telemetry;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Observability.Instrumentation;

/// <summary>Times and traces every call into the coordination backend, and wraps leases to watch hand-overs.</summary>
internal sealed class InstrumentedCoordination : IUploadCoordination
{
    private readonly IUploadCoordination _inner;
    private readonly string _backend;

    public InstrumentedCoordination(IUploadCoordination inner, string backend)
    {
        _inner = inner;
        _backend = backend;
    }

    public ValueTask<UploadRecord?> GetAsync(string uploadId, CancellationToken cancellationToken) =>
        Measure("get", uploadId, () => _inner.GetAsync(uploadId, cancellationToken), cancellationToken);

    public async ValueTask<IUploadLease> AcquireAsync(string uploadId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var activity = Spans.StartChild(CoordinationTelemetry.ActivitySource, "coordination.acquire", ActivityKind.Client);
        activity?.SetTag(CoordinationTelemetry.BackendTag, _backend);
        activity?.SetTag(TusTelemetry.UploadIdTag, uploadId);
        var started = Stopwatch.GetTimestamp();
        string outcome = "error";
        try
        {
            var lease = await _inner.AcquireAsync(uploadId, timeout, cancellationToken);
            outcome = "acquired";
            activity?.SetTag("tus.lock.fencing_token", lease.FencingToken);
            return new InstrumentedLease(lease, _backend, activity?.Parent ?? Activity.Current);
        }
        catch (LockTimeoutException)
        {
            outcome = "timeout";
            CoordinationTelemetry.Timeouts.Add(1, new KeyValuePair<string, object?>(CoordinationTelemetry.BackendTag, _backend));
            activity?.SetStatus(ActivityStatusCode.Error, "lock timeout");
            throw;
        }
        catch (Exception e) when (OperationScope.IsBackendError(e, cancellationToken))
        {
            CoordinationTelemetry.Errors.Add(1, new(CoordinationTelemetry.BackendTag, _backend), new(CoordinationTelemetry.OperationTag, "acquire"));
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
        catch (OperationCanceledException)
        {
            outcome = "cancelled";
            throw;
        }
        finally
        {
            CoordinationTelemetry.AcquireDuration.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds,
                new(CoordinationTelemetry.BackendTag, _backend),
                new("outcome", outcome));
        }
    }

    public ValueTask<IReadOnlyList<ExpiryEntry>> ReadExpiredAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken) =>
        Measure("read_expired", null, () => _inner.ReadExpiredAsync(upTo, limit, cancellationToken), cancellationToken);

    public async ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        var healthy = false;
        try
        {
            healthy = await Measure("health", null, () => _inner.IsHealthyAsync(cancellationToken), cancellationToken);
            return healthy;
        }
        finally
        {
            BackendHealth.Report("coordination", _backend, healthy);
        }
    }

    private ValueTask<T> Measure<T>(string operation, string? uploadId, Func<ValueTask<T>> call, CancellationToken cancellationToken) =>
        OperationScope.CoordinationAsync(_backend, operation, uploadId, call, cancellationToken);
}
