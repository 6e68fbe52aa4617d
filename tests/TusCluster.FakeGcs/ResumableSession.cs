namespace TusCluster.FakeGcs;

/// <summary>One resumable upload in progress: where it goes, its preconditions, the bytes so far.</summary>
internal sealed record ResumableSession(string Bucket, ObjectResource Resource, Preconditions Preconditions, ReceivedBytes Received)
{
    /// <summary>One PUT at a time per session.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);
}
