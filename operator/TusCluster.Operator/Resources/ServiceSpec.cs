namespace TusCluster.Operator.Resources;

internal sealed record ServiceSpec
{
    public string? Type { get; init; }
    public int? Port { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
