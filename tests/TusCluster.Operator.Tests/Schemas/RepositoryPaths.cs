namespace TusCluster.Operator.Tests.Schemas;

/// <summary>Files of the repository the schema tests read (found by walking up from the test binaries).</summary>
internal static class RepositoryPaths
{
    public static readonly string Root = FindRoot();

    public static string SchemaTools => Path.Combine(Root, "tests", "k8s-schemas");

    public static string Crd => Path.Combine(Root, "charts", "tuscluster", "crds", "tusservers.tuscluster.io.yaml");

    public static string InstallManifest => Path.Combine(Root, "operator", "deploy", "install.yaml");

    public static string Samples => Path.Combine(Root, "operator", "samples");

    public static string Chart => Path.Combine(Root, "charts", "tuscluster");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "tests", "k8s-schemas", "validate.mjs"))) return directory.FullName;
        }

        throw new InvalidOperationException("Cannot find the repository root (tests/k8s-schemas/validate.mjs) above " + AppContext.BaseDirectory);
    }
}
