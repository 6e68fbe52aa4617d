namespace TusCluster.LoadDriver.Scenarios;

/// <summary>
/// What a scenario means when a knob is not given: small-files is about request rate, parallel-large
/// about bandwidth with few connections, the others sit in between.
/// </summary>
internal sealed record ScenarioDefaults(int Vus, long Size, long ChunkSize)
{
    public static ScenarioDefaults For(string scenario) => scenario switch
    {
        ScenarioNames.SmallFiles => new(16, 1 << 10, 1 << 20),
        ScenarioNames.ParallelLarge => new(4, 256L << 20, 16L << 20),
        ScenarioNames.Concatenation => new(4, 4 << 20, 1 << 20),
        ScenarioNames.Resume => new(4, 4 << 20, 1 << 20),
        _ => new(8, 4 << 20, 1 << 20),
    };
}
