using System.Diagnostics;
using TusCluster.Protocol.Telemetry;

namespace TusCluster.Observability.Telemetry;

/// <summary>The upload a request is about, as the engine tagged it on the request's activity or one of its parents.</summary>
internal static class ActivityUploadId
{
    public static string? Find(Activity? activity)
    {
        for (var current = activity; current is not null; current = current.Parent)
        {
            if (current.GetTagItem(TusTelemetry.UploadIdTag) is string id)
            {
                return id;
            }
        }

        return null;
    }
}
