namespace TusCluster.Coordination.Contract;

/// <summary>
/// Tests that set outbox entries aside: they count on one counter for the whole process (a static meter), so they
/// run alone, after the others, and each sees only its own counts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class UnreadableOutboxCollection
{
    public const string Name = "Outbox set-aside";
}
