namespace TusCluster.Operator.Reconciliation;

/// <summary>Names of the objects a TusServer owns; derived from its name only, so they never drift.</summary>
internal static class ChildNames
{
    /// <summary>Longest TusServer name whose children ("-sweeper", pod suffixes) still fit DNS label limits.</summary>
    public const int MaxServerNameLength = 40;

    public static string Upload(string server) => server;

    public static string Sweeper(string server) => server + "-sweeper";

    public static string Config(string server) => server + "-config";

    public static string ServiceAccount(string server) => server;
}
