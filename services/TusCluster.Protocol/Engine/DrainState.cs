namespace TusCluster.Protocol.Engine;

/// <summary>
/// Shutdown as the engine sees it. Draining: new requests are refused with 503 so the client retries
/// on another replica, and readiness fails. Stop writing: in-flight PATCHes stop reading their bodies,
/// commit what they have and answer, before the host's grace period runs out.
/// </summary>
public sealed class DrainState : IDisposable
{
    private readonly CancellationTokenSource _stopWriting = new();
    private int _inFlight;

    public bool IsDraining { get; private set; }

    public CancellationToken StopWriting => _stopWriting.Token;

    /// <summary>tus requests being served (not counting those refused because of the drain).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    internal void RequestStarted() => Interlocked.Increment(ref _inFlight);

    internal void RequestEnded() => Interlocked.Decrement(ref _inFlight);

    public void BeginDrain() => IsDraining = true;

    public void StopAllWriters()
    {
        IsDraining = true;
        _stopWriting.Cancel();
    }

    public void Dispose() => _stopWriting.Dispose();
}
