namespace TusCluster.Operator.Reconciliation;

/// <summary>A Secret or ConfigMap in the TusServer's namespace whose data the pods read at start-up.</summary>
internal sealed record ReferencedObject(string Kind, string Name) : IComparable<ReferencedObject>
{
    public const string Secret = "Secret";
    public const string ConfigMap = "ConfigMap";

    public int CompareTo(ReferencedObject? other) =>
        other is null ? 1 : string.CompareOrdinal(Kind, other.Kind) is var byKind and not 0 ? byKind : string.CompareOrdinal(Name, other.Name);
}
