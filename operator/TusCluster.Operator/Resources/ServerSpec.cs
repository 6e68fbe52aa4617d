namespace TusCluster.Operator.Resources;

internal sealed record ServerSpec
{
    public string? BasePath { get; init; }
    public string? PublicBaseUrl { get; init; }
    public IReadOnlyList<string>? TrustedProxies { get; init; }
    public IReadOnlyList<string>? CorsAllowedOrigins { get; init; }
    public string? DrainPeriod { get; init; }
    public string? CommitGracePeriod { get; init; }
    public int? PreStopDelaySeconds { get; init; }
    public TlsSpec? Tls { get; init; }
    public string? LogFormat { get; init; }
    public IReadOnlyDictionary<string, string>? ExtraConfig { get; init; }
}
