namespace TusCluster.Hooks.Grpc;

/// <summary>Bound from <c>Tus:Hooks:Grpc</c>; the sink exists only when <see cref="Address"/> is set (tusd's -hooks-grpc-*).</summary>
public sealed class GrpcHookOptions
{
    public const string SectionName = "Tus:Hooks:Grpc";

    /// <summary>http:// (HTTP/2 without TLS) or https:// address of the HookHandler service, like http://hooks:8000.</summary>
    public string? Address { get; set; }

    /// <summary>tusd event names; empty means tusd's default set.</summary>
    public IList<string> Events { get; } = [];

    /// <summary>gRPC deadline of one call.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Limit of the whole invocation, every attempt and pause included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Calls after the first on Unavailable, DeadlineExceeded or ResourceExhausted (tusd: -hooks-grpc-retry, 3).</summary>
    public int Retries { get; set; } = 3;

    /// <summary>Pause before the first retry; doubled each time, with jitter (tusd: -hooks-grpc-backoff, 1 s, linear).</summary>
    public TimeSpan Backoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Client request headers sent as call metadata, first value only (tusd: -hooks-grpc-forward-headers).</summary>
    public IList<string> ForwardHeaders { get; } = [];

    /// <summary>Largest HookResponse message accepted; a larger one is a failed invocation.</summary>
    public int MaxResponseBytes { get; set; } = 64 * 1024;
}
