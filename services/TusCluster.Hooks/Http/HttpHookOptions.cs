namespace TusCluster.Hooks.Http;

/// <summary>Bound from <c>Tus:Hooks:Http</c>; the sink exists only when <see cref="Url"/> is set (tusd's -hooks-http-*).</summary>
public sealed class HttpHookOptions
{
    public const string SectionName = "Tus:Hooks:Http";

    /// <summary>Absolute http or https URL every hook request is POSTed to.</summary>
    public string? Url { get; set; }

    /// <summary>tusd event names; empty means tusd's default set.</summary>
    public IList<string> Events { get; } = [];

    /// <summary>Limit of one attempt, answer body included (tusd: -hooks-http-timeout, 15 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Limit of the whole invocation, every attempt and pause included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts after the first on a transport error, timeout, 5xx or 429 (tusd: -hooks-http-retry, 3).</summary>
    public int Retries { get; set; } = 3;

    /// <summary>Pause before the first retry; doubled each time, with jitter (tusd: -hooks-http-backoff, 1 s, constant).</summary>
    public TimeSpan Backoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Header that carries <see cref="Secret"/>.</summary>
    public string SecretHeaderName { get; set; } = "X-Tus-Hook-Secret";

    /// <summary>Shared secret sent with every hook request so the receiver can tell us from anyone else; never logged.</summary>
    public string? Secret { get; set; }

    /// <summary>Client request headers copied onto the hook request when the event has them (tusd: -hooks-http-forward-headers).</summary>
    public IList<string> ForwardHeaders { get; } = [];

    /// <summary>Largest answer body read (tusd: -hooks-http-size-limit, 5 KiB); a larger one is a failed invocation.</summary>
    public int MaxResponseBytes { get; set; } = 64 * 1024;
}
