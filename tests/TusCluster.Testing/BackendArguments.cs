namespace TusCluster.Testing;

/// <summary>
/// Lets the same protocol suite run against another store or coordination backend: CI sets
/// TUS_TEST_BACKEND_ARGS to extra configuration arguments (separated by spaces) for each backend run.
/// </summary>
public static class BackendArguments
{
    public static string[] FromEnvironment() =>
        (Environment.GetEnvironmentVariable("TUS_TEST_BACKEND_ARGS") ?? string.Empty)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
