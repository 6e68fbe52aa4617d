using TusCluster.LoadDriver.Commands;

namespace TusCluster.LoadDriver.Scenarios;

/// <summary>What one iteration of a scenario gets: who runs it, how to talk to the server, and its seed.</summary>
internal sealed record IterationContext(int Vu, long Iteration, TusClient Client, RunSettings Settings, Random Random)
{
    /// <summary>A seed of its own for every iteration, derived from the run's seed, so a run can be replayed.</summary>
    public ulong Seed => Settings.Seed ^ ((ulong)Iteration * 0xD1B54A32D192ED03);

    /// <summary>
    /// The server has reported the upload complete; a failure after this (reading it back, deleting it)
    /// does not make it abandoned.
    /// </summary>
    public bool Finished { get; private set; }

    public void MarkFinished() => Finished = true;
}
