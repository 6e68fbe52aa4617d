using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Telemetry;

/// <summary>
/// The engine's own figures and spans. Static, like the runtime's own meters, so the engine needs no
/// telemetry library and nothing to inject: whoever listens to <see cref="MeterName"/> and
/// <see cref="ActivitySourceName"/> (the observability project) exports them.
/// </summary>
public static class TusTelemetry
{
    public const string MeterName = "TusCluster.Protocol";
    public const string ActivitySourceName = "TusCluster.Protocol";

    /// <summary>Tag (on the request's activity) naming the upload a request is about; logs carry it too.</summary>
    public const string UploadIdTag = "tus.upload.id";

    private static readonly Meter Meter = new(MeterName);

    public static ActivitySource ActivitySource { get; } = new(ActivitySourceName);

    private static readonly Counter<long> Created = Meter.CreateCounter<long>("tus.uploads.created", "{upload}", "Uploads created.");
    private static readonly Counter<long> Finished = Meter.CreateCounter<long>("tus.uploads.finished", "{upload}", "Uploads whose last byte was committed.");
    private static readonly Counter<long> Terminated = Meter.CreateCounter<long>("tus.uploads.terminated", "{upload}", "Uploads terminated by a client (DELETE).");
    private static readonly Counter<long> Received = Meter.CreateCounter<long>("tus.received", "By", "Upload bytes received and staged (committed or not).");
    private static readonly UpDownCounter<long> Active = Meter.CreateUpDownCounter<long>("tus.uploads.active", "{upload}", "Uploads receiving a body on this replica right now.");

    private static readonly Histogram<double> PatchDuration = Meter.CreateHistogram(
        "tus.patch.duration",
        "s",
        "Duration of PATCH requests, from dispatch to the answer.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });

    /// <summary>
    /// Publishes the counters at zero, so that rates and alerts have a series from the first scrape (a
    /// renamed metric then shows as missing, not as "nothing happened"). Call once a listener exists.
    /// </summary>
    public static void PublishZeros()
    {
        foreach (var kind in Enum.GetValues<UploadKind>())
        {
            Created.Add(0, new KeyValuePair<string, object?>("tus.upload.kind", KindName(kind)));
            Finished.Add(0, new KeyValuePair<string, object?>("tus.upload.kind", KindName(kind)));
        }

        Terminated.Add(0);
        Received.Add(0);
    }

    public static void UploadCreated(UploadKind kind) => Created.Add(1, new KeyValuePair<string, object?>("tus.upload.kind", KindName(kind)));

    public static void UploadFinished(UploadKind kind) => Finished.Add(1, new KeyValuePair<string, object?>("tus.upload.kind", KindName(kind)));

    public static void UploadTerminated() => Terminated.Add(1);

    public static void BytesReceived(long bytes)
    {
        if (bytes > 0)
        {
            Received.Add(bytes);
        }
    }

    /// <summary>Counts an upload as active until the returned scope is disposed.</summary>
    public static ActiveUpload TrackActiveUpload()
    {
        Active.Add(1);
        return new ActiveUpload();
    }

    /// <summary>Tags the current request's span with the upload it is about.</summary>
    public static void TagUpload(string uploadId) => Activity.Current?.SetTag(UploadIdTag, uploadId);

    /// <summary>Measures a request until disposed; PATCH durations are recorded with the final status code.</summary>
    public static RequestMeasurement MeasureRequest(HttpContext context) => new(context, Stopwatch.GetTimestamp());

    private static string KindName(UploadKind kind) => kind switch
    {
        UploadKind.Partial => "partial",
        UploadKind.Final => "final",
        _ => "regular",
    };

    public readonly struct ActiveUpload : IDisposable
    {
        public void Dispose() => Active.Add(-1);
    }

    public readonly struct RequestMeasurement(HttpContext context, long started) : IDisposable
    {
        public void Dispose()
        {
            if (HttpMethods.IsPatch(context.Request.Method))
            {
                PatchDuration.Record(
                    Stopwatch.GetElapsedTime(started).TotalSeconds,
                    new KeyValuePair<string, object?>("http.response.status_code", context.Response.StatusCode));
            }
        }
    }
}
