namespace TusCluster.Protocol.Engine;

/// <summary>
/// Shutdown as the engine sees it. Draining: new requests are refused with 503 so the client retries
/// on another replica, and readiness fails. Stop writing: in-flight PATCHes stop reading their bodies,
/// commit what they have and answer, before the host's grace period runs out.
/// </summary>
public sealed class DrainState : IDisposable
{
    private readonly CancellationTokenSource _stopWriting = new();

    public bool IsDraining { get; private set; }

    public CancellationToken StopWriting => _stopWriting.Token;

    public void BeginDrain() => IsDraining = true;

    public void StopAllWriters()
    {
        IsDraining = true;
        _stopWriting.Cancel();
    }

    public void Dispose() => _stopWriting.Dispose();
}
