using System.Threading.Channels;

namespace TusCluster.Operator.Reconciliation;

/// <summary>
/// Keys waiting for a reconcile. A key is queued at most once at a time, so a burst of events for one
/// TusServer costs one reconcile; a key added while it is being reconciled is reconciled again after.
/// </summary>
internal sealed class WorkQueue
{
    private readonly Channel<(string Namespace, string Name)> _channel = Channel.CreateUnbounded<(string, string)>();
    private readonly HashSet<(string, string)> _queued = [];
    private readonly Lock _gate = new();

    public void Add(string ns, string name)
    {
        lock (_gate)
        {
            if (!_queued.Add((ns, name))) return;
        }

        _channel.Writer.TryWrite((ns, name));
    }

    public void AddAfter(string ns, string name, TimeSpan delay, TimeProvider time, CancellationToken cancellationToken) =>
        _ = Task.Delay(delay, time, cancellationToken).ContinueWith(
            _ => Add(ns, name), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    public async ValueTask<(string Namespace, string Name)> TakeAsync(CancellationToken cancellationToken)
    {
        var key = await _channel.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _queued.Remove(key);
        }

        return key;
    }
}
