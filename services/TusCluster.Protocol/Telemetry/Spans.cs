using System.Diagnostics;

namespace TusCluster.Protocol.Telemetry;

/// <summary>Starts the spans of the engine and of the backend decorators.</summary>
public static class Spans
{
    /// <summary>
    /// Starts a span as a child of the current one, or none when the current span is not recorded. The
    /// tracer provider samples parent-based, so such a child would not be recorded either, yet the SDK
    /// still has an <see cref="Activity"/> built for it (a dropped child with a parent gets
    /// <see cref="ActivitySamplingResult.PropagationData"/>): eight a creation-with-upload (four store
    /// operations, the lease's acquire and two commits, the finish), each with its tags and a change of
    /// <see cref="Activity.Current"/>, on every request the trace budget leaves out. Without a current span
    /// the sampler decides.
    /// </summary>
    public static Activity? StartChild(ActivitySource source, string name, ActivityKind kind = ActivityKind.Internal) =>
        Activity.Current is { Recorded: false } ? null : source.StartActivity(name, kind);
}
