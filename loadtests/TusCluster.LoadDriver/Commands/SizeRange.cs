namespace TusCluster.LoadDriver.Commands;

/// <summary>Upload sizes drawn uniformly from [Min, Max]; Min == Max for a fixed size.</summary>
internal sealed record SizeRange(long Min, long Max)
{
    public long Next(Random random) => Min == Max ? Min : random.NextInt64(Min, Max + 1);

    public override string ToString() => Min == Max ? ByteSize.Format(Min) : $"{ByteSize.Format(Min)}-{ByteSize.Format(Max)}";
}
