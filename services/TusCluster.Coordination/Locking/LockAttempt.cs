using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination;

/// <summary>What one try to take an upload's lock found: the lease, a holder, or a lock that vanished in between.</summary>
/// <typeparam name="THolder">What the backend needs to ask that holder and to wait for its release.</typeparam>
public readonly record struct LockAttempt<THolder>
{
    private LockAttempt(IUploadLease? lease, THolder? holder, bool vanished)
    {
        Lease = lease;
        Holder = holder;
        Vanished = vanished;
    }

    public IUploadLease? Lease { get; }

    public THolder? Holder { get; }

    /// <summary>The lock was held when tried but free when looked at: try again at once.</summary>
    public bool Vanished { get; }

    public static LockAttempt<THolder> Acquired(IUploadLease lease) => new(lease, default, vanished: false);

    public static LockAttempt<THolder> HeldBy(THolder holder) => new(null, holder, vanished: false);

    public static LockAttempt<THolder> FoundFree() => new(null, default, vanished: true);
}
