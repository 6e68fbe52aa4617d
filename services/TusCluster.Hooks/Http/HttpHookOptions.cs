using TusCluster.Hooks.Sinks;

namespace TusCluster.Hooks.Http;

/// <summary>Bound from <c>Tus:Hooks:Http</c>; the sink exists only when <see cref="Url"/> is set (tusd's -hooks-http-*).</summary>
public sealed class HttpHookOptions : RemoteHookOptions
{
    public const string SectionName = "Tus:Hooks:Http";

    /// <summary>Absolute http or https URL every hook request is POSTed to.</summary>
    public string? Url { get; set; }

    /// <summary>Header that carries <see cref="Secret"/>.</summary>
    public string SecretHeaderName { get; set; } = "X-Tus-Hook-Secret";

    /// <summary>Shared secret sent with every hook request so the receiver can tell us from anyone else; never logged.</summary>
    public string? Secret { get; set; }
}
