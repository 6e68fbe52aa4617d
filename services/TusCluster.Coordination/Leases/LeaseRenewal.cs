namespace TusCluster.Coordination;

/// <summary>What one attempt to renew a lease found.</summary>
public enum LeaseRenewal
{
    /// <summary>The backend extended the lease.</summary>
    Renewed,

    /// <summary>The backend could not be reached; the next attempt may still succeed in time.</summary>
    Unreachable,

    /// <summary>The lock no longer holds this lease's token: it is gone for good.</summary>
    NotHeld,
}
