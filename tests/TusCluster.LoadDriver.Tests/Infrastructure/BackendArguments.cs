namespace TusCluster.LoadDriver.Tests.Infrastructure;

/// <summary>
/// Mirrors the class of the same name in TusCluster.UploadService.Tests: CI sets TUS_TEST_BACKEND_ARGS
/// to extra configuration arguments (separated by spaces) to run against another backend.
/// </summary>
internal static class BackendArguments
{
    public static string[] FromEnvironment() =>
        (Environment.GetEnvironmentVariable("TUS_TEST_BACKEND_ARGS") ?? string.Empty)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
