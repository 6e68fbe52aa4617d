namespace TusCluster.Hooks.Sinks;

/// <summary>
/// What the HTTP and gRPC transports share: a receiver over the network, called with retries under a
/// per-attempt and an overall time limit (tusd's -hooks-http-* and -hooks-grpc-* flags).
/// </summary>
public abstract class RemoteHookOptions
{
    /// <summary>tusd event names; empty means tusd's default set.</summary>
    public IList<string> Events { get; } = [];

    /// <summary>Limit of one attempt, answer included (tusd: 15 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Limit of the whole invocation, every attempt and pause included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts after the first when the receiver could not be reached or failed (tusd: 3).</summary>
    public int Retries { get; set; } = 3;

    /// <summary>Pause before the first retry; doubled each time, with jitter (tusd: 1 s).</summary>
    public TimeSpan Backoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Client request headers copied onto the hook call when the event has them (tusd: -hooks-*-forward-headers).</summary>
    public IList<string> ForwardHeaders { get; } = [];

    /// <summary>Largest answer read (tusd's HTTP default: 5 KiB); a larger one is a failed invocation.</summary>
    public int MaxResponseBytes { get; set; } = 64 * 1024;
}
