using System.Diagnostics;
using System.Diagnostics.Metrics;
using TusCluster.Protocol.Telemetry;

namespace TusCluster.Observability.Instrumentation;

/// <summary>Times one backend operation as a span and a histogram sample, and counts its failure.</summary>
internal readonly struct OperationScope
{
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _errors;
    private readonly string _backend;
    private readonly string _operation;
    private readonly long _started;

    private OperationScope(ActivitySource source, string spanName, Histogram<double> duration, Counter<long> errors, string backend, string operation, string? uploadId)
    {
        _duration = duration;
        _errors = errors;
        _backend = backend;
        _operation = operation;
        _started = Stopwatch.GetTimestamp();
        Activity = Spans.StartChild(source, spanName, ActivityKind.Client);
        Activity?.SetTag(CoordinationTelemetry.BackendTag, backend);
        if (uploadId is not null)
        {
            Activity?.SetTag(TusTelemetry.UploadIdTag, uploadId);
        }
    }

    public Activity? Activity { get; }

    public static OperationScope Coordination(string backend, string operation, string? uploadId) =>
        new(CoordinationTelemetry.ActivitySource, "coordination." + operation, CoordinationTelemetry.OperationDuration, CoordinationTelemetry.Errors, backend, operation, uploadId);

    public static OperationScope Store(string backend, string operation, string? uploadId) =>
        new(StoreTelemetry.ActivitySource, "store." + operation, StoreTelemetry.OperationDuration, StoreTelemetry.Errors, backend, operation, uploadId);

    public double Elapsed => Stopwatch.GetElapsedTime(_started).TotalSeconds;

    public void Succeeded()
    {
        _duration.Record(Elapsed, new(CoordinationTelemetry.BackendTag, _backend), new(CoordinationTelemetry.OperationTag, _operation));
        Activity?.Dispose();
    }

    /// <summary>Records a failure; an error is counted unless the caller itself cancelled or the outcome is an expected refusal.</summary>
    public void Failed(Exception exception, bool countAsError)
    {
        _duration.Record(Elapsed, new(CoordinationTelemetry.BackendTag, _backend), new(CoordinationTelemetry.OperationTag, _operation));
        if (countAsError)
        {
            _errors.Add(1, new(CoordinationTelemetry.BackendTag, _backend), new(CoordinationTelemetry.OperationTag, _operation));
        }

        Activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        Activity?.SetTag("error.type", exception.GetType().FullName);
        Activity?.Dispose();
    }

    /// <summary>Runs a coordination call as a span and a timed operation; <paramref name="onFailure"/> sees an exception first.</summary>
    public static async ValueTask<T> CoordinationAsync<T>(string backend, string operation, string? uploadId, Func<ValueTask<T>> call, CancellationToken cancellationToken, Action<Exception>? onFailure = null)
    {
        // Started inside this async method, so the span stops being the caller's current activity when it returns.
        var scope = Coordination(backend, operation, uploadId);
        return await RunAsync(scope, call, cancellationToken, onFailure);
    }

    /// <summary>Runs a store call as a span and a timed operation.</summary>
    public static async ValueTask<T> StoreAsync<T>(string backend, string operation, string? uploadId, Func<ValueTask<T>> call, CancellationToken cancellationToken)
    {
        var scope = Store(backend, operation, uploadId);
        return await RunAsync(scope, call, cancellationToken, null);
    }

    private static async ValueTask<T> RunAsync<T>(OperationScope scope, Func<ValueTask<T>> call, CancellationToken cancellationToken, Action<Exception>? onFailure)
    {
        try
        {
            var result = await call();
            scope.Succeeded();
            return result;
        }
        catch (Exception e)
        {
            onFailure?.Invoke(e);
            scope.Failed(e, IsBackendError(e, cancellationToken));
            throw;
        }
    }

    /// <summary>Whether a failure says something is wrong with the backend (not a cancellation by the caller, not a lock refusal).</summary>
    public static bool IsBackendError(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        Protocol.Coordination.LockTimeoutException or Protocol.Coordination.LeaseLostException => false,
        _ => true,
    };
}
