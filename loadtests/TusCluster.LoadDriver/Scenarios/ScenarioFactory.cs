namespace TusCluster.LoadDriver.Scenarios;

/// <summary>Maps a name from <see cref="ScenarioNames.All"/> to its implementation.</summary>
internal static class ScenarioFactory
{
    public static IScenario Create(string name) => name switch
    {
        ScenarioNames.CreateAndPatch => new CreateAndPatchScenario(),
        ScenarioNames.Resume => new ResumeScenario(),
        ScenarioNames.SmallFiles => new SmallFilesScenario(),
        ScenarioNames.ParallelLarge => new ParallelLargeScenario(),
        ScenarioNames.Concatenation => new ConcatenationScenario(),
        _ => throw new ArgumentException($"unknown scenario '{name}'", nameof(name)),
    };
}
