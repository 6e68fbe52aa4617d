namespace TusCluster.LoadDriver.Scenarios;

/// <summary>
/// The scenario names, shared with the k6 scripts in loadtests/k6/ (a check there compares its list
/// with this one), so both tools mean the same workload by the same name.
/// </summary>
public static class ScenarioNames
{
    public const string CreateAndPatch = "create-and-patch";
    public const string Resume = "resume";
    public const string SmallFiles = "small-files";
    public const string ParallelLarge = "parallel-large";
    public const string Concatenation = "concatenation";

    /// <summary>
    /// Every scenario, in this order. Spelled out as literals on one line so that a script outside .NET
    /// (the k6 consistency check) can read the list from this file.
    /// </summary>
    public static readonly string[] All = ["create-and-patch", "resume", "small-files", "parallel-large", "concatenation"];
}
