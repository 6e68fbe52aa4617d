using System.Diagnostics;
using Microsoft.Extensions.Options;
using TusCluster.Hooks.Sinks;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Delivery;

/// <summary>The engine's hooks: blocking events go straight to their one receiver; committed post-* events to the delivery queue.</summary>
internal sealed class HookDispatcher(HookSinks sinks, DeliveryQueue queue, HookMetrics metrics, CrashAfterCommit crash, IOptions<HooksOptions> options) : IUploadHooks
{
    private readonly HooksOptions _options = options.Value;

    /// <summary>The configured headers, and those a sink copies onto its own calls (tusd's -hooks-http-forward-headers).</summary>
    public IReadOnlyCollection<string> ForwardedHeaders { get; } =
        [.. options.Value.ForwardHeaders.Concat(sinks.All.SelectMany(s => s.HeadersNeeded)).Distinct(StringComparer.OrdinalIgnoreCase)];

    public TimeSpan PostReceiveInterval => _options.PostReceiveInterval;

    public TimeSpan RedeliveryDelay => _options.RedeliveryDelay;

    public bool IsEnabled(UploadEventType type) => sinks.Any(type);

    public async ValueTask<HookDecision> RunBlockingAsync(UploadEvent uploadEvent, CancellationToken cancellationToken)
    {
        if (sinks.Decider(uploadEvent.Type) is not { } sink)
        {
            return HookDecision.Proceed;
        }

        var started = Stopwatch.GetTimestamp();
        var outcome = "failed";
        try
        {
            var decision = await sink.InvokeAsync(uploadEvent, cancellationToken);
            outcome = decision.RejectUpload || decision.RejectTermination || decision.HttpResponse?.StatusCode >= 400 ? "rejected" : "ok";
            return decision;
        }
        finally
        {
            metrics.Invoked(uploadEvent.Type, sink.Name, outcome, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    public void Committed(IReadOnlyList<OutboxEntry> entries)
    {
        crash.MaybeCrash(entries);
        foreach (var entry in entries)
        {
            queue.Enqueue(entry);
        }
    }
}
