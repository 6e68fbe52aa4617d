namespace TusCluster.Coordination.Embedded;

/// <summary>Waits on the holding lease itself: in one process its release is an event, never a message to lose.</summary>
internal sealed class EmbeddedReleaseWait : IReleaseWait<EmbeddedUploadLease>
{
    public static readonly EmbeddedReleaseWait Instance = new();

    public void Arm()
    {
    }

    public async Task WaitAsync(EmbeddedUploadLease holder, TimeSpan longest, CancellationToken cancellationToken)
    {
        try
        {
            await holder.Released.WaitAsync(longest, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The caller decides whether the deadline has passed.
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
