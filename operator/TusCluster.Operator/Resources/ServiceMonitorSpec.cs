namespace TusCluster.Operator.Resources;

internal sealed record ServiceMonitorSpec
{
    public bool? Enabled { get; init; }
    public string? Interval { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
