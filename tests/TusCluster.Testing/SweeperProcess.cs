
namespace TusCluster.Testing;

/// <summary>The sweeper host as a real process (kill -9 mid-pass, fail-over between processes).</summary>
public static class SweeperProcess
{
    /// <summary>
    /// The sweeper's own build output: its appsettings.json would clash with the upload service's in a
    /// test project that copies both into one folder.
    /// </summary>
    public static string AssemblyPath
    {
        get
        {
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(RepositoryPaths.Root, "services", "TusCluster.Sweeper", "bin", framework.Parent!.Name, framework.Name, "TusCluster.Sweeper.dll");
        }
    }

    public static ServiceProcess Start(params string[] arguments) => ServiceProcess.StartHost(AssemblyPath, arguments);

    /// <summary>Whether this sweeper logged that it won the leader lease.</summary>
    public static bool IsLeader(this ServiceProcess sweeper) => sweeper.Output.Contains("became the leader", StringComparison.Ordinal);
}
