namespace TusCluster.Operator.Resources;

internal sealed record ExpirationSpec
{
    public string? UnfinishedAfter { get; init; }
    public string? TombstoneRetention { get; init; }
}
