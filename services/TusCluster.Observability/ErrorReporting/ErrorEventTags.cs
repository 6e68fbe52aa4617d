using System.Diagnostics;
using Sentry;
using Sentry.Extensibility;
using TusCluster.Observability.Telemetry;

namespace TusCluster.Observability.ErrorReporting;

/// <summary>
/// Tags every event with what joins it to logs and traces: the upload (as the engine tagged the request's
/// activity), the replica and the W3C trace id. The SDK calls this on the thread that captures the event,
/// inside the failed request's execution context, so <see cref="Activity.Current"/> is that request's.
/// </summary>
internal sealed class ErrorEventTags(ReplicaIdentity identity) : ISentryEventProcessor
{
    // Named like the fields of the JSON logs, so that one search finds both.
    public const string UploadId = "upload_id";
    public const string Replica = "replica";
    public const string Service = "service";
    public const string TraceId = "trace_id";

    public SentryEvent? Process(SentryEvent @event)
    {
        @event.SetTag(Service, identity.ServiceName);
        @event.SetTag(Replica, identity.ReplicaName);
        var activity = Activity.Current;
        if (activity is not null)
        {
            @event.SetTag(TraceId, activity.TraceId.ToHexString());
        }

        if (ActivityUploadId.Find(activity) is { } uploadId)
        {
            @event.SetTag(UploadId, uploadId);
        }

        return @event;
    }
}
