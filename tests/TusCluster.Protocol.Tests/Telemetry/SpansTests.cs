using System.Diagnostics;
using TusCluster.Protocol.Telemetry;

namespace TusCluster.Protocol.Tests.Telemetry;

/// <summary>
/// <see cref="Spans.StartChild"/> against a real <see cref="ActivityListener"/> that samples the way
/// OpenTelemetry's SDK does for a parent-based sampler (an unrecorded parent's child still gets an Activity,
/// only to carry the trace id).
/// </summary>
public sealed class SpansTests : IDisposable
{
    private readonly ActivitySource _source = new("TusCluster.Tests.Spans." + Guid.NewGuid().ToString("N"));
    private readonly ActivityListener _listener;
    private int _samplerCalls;

    public SpansTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => ReferenceEquals(source, _source),
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
            {
                Interlocked.Increment(ref _samplerCalls);
                return options.Parent == default || options.Parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded)
                    ? ActivitySamplingResult.AllDataAndRecorded
                    : ActivitySamplingResult.PropagationData;
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public void Under_an_unrecorded_span_no_child_is_built_and_the_sampler_is_not_asked()
    {
        using var request = new Activity("request");
        request.ActivityTraceFlags = ActivityTraceFlags.None;
        request.Start();
        var before = _samplerCalls;

        using var child = Spans.StartChild(_source, "store.create");

        Assert.Null(child);
        Assert.Equal(before, _samplerCalls);
        Assert.Same(request, Activity.Current);
    }

    [Fact]
    public void Under_a_recorded_span_the_child_is_recorded_with_that_parent()
    {
        using var request = new Activity("request");
        request.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        request.Start();

        using var child = Spans.StartChild(_source, "store.create", ActivityKind.Client);

        Assert.NotNull(child);
        Assert.True(child.Recorded);
        Assert.Equal(request.SpanId, child.ParentSpanId);
        Assert.Equal(ActivityKind.Client, child.Kind);
    }

    [Fact]
    public void Without_a_current_span_the_sampler_decides()
    {
        Activity.Current = null;

        using var root = Spans.StartChild(_source, "tus.upload.finish");

        Assert.NotNull(root);
        Assert.Equal(1, _samplerCalls);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _source.Dispose();
    }
}
