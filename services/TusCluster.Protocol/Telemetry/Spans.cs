using System.Diagnostics;

namespace TusCluster.Protocol.Telemetry;

/// <summary>Starts the spans of the engine and of the backend decorators.</summary>
public static class Spans
{
    /// <summary>
    /// Starts a span as a child of the current one, or none when the current span is not recorded. The
    /// tracer provider samples parent-based, so such a child would not be recorded either, yet the SDK
    /// would still build an <see cref="Activity"/> for it (to carry the trace id): about ten a creation,
    /// with their tags and two execution-context changes each, on the requests that the trace budget
    /// leaves out. Without a current span the sampler decides, as before.
    /// </summary>
    public static Activity? StartChild(ActivitySource source, string name, ActivityKind kind = ActivityKind.Internal) =>
        MayRecordChild(source) ? source.StartActivity(name, kind) : null;

    /// <summary>Whether <see cref="StartChild"/> would ask the sampler; false saves building the span's name.</summary>
    public static bool MayRecordChild(ActivitySource source) => source.HasListeners() && Activity.Current is not { Recorded: false };
}
