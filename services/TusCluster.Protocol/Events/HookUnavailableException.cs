namespace TusCluster.Protocol.Events;

/// <summary>
/// A hook receiver could not be reached, failed, or did not answer in time (after the sink's own
/// retries). For a blocking hook the client gets 503 with Retry-After and nothing changes; a post-*
/// event stays in the outbox and is delivered again later.
/// </summary>
public sealed class HookUnavailableException : Exception
{
    public HookUnavailableException(string message)
        : base(message)
    {
    }

    public HookUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HookUnavailableException()
    {
    }
}
