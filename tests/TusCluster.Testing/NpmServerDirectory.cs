using System.Diagnostics;

namespace TusCluster.Testing;

/// <summary>
/// A directory under tests/servers with its own package.json and lock (dynalite, azurite): found above
/// the test binaries, and installed with <c>npm ci</c> when CI has not done so beforehand.
/// </summary>
public static class NpmServerDirectory
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    /// <returns>The full path of tests/servers/<paramref name="name"/>, with <paramref name="package"/> installed in it.</returns>
    public static async Task<string> EnsureInstalledAsync(string name, string package)
    {
        var directory = Path.Combine(RepositoryPaths.Root, "tests", "servers", name);
        if (!File.Exists(Path.Combine(directory, "package-lock.json")))
        {
            throw new InvalidOperationException($"{directory}/package-lock.json not found.");
        }

        await InstallGate.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(directory, "node_modules", package)))
            {
                // CI runs `npm ci` in the directory beforehand (test.sh, .ci/run); this is the fallback.
                using var npm = Process.Start(new ProcessStartInfo("npm") { ArgumentList = { "ci", "--no-audit", "--no-fund" }, WorkingDirectory = directory })
                    ?? throw new InvalidOperationException("npm did not start.");
                await npm.WaitForExitAsync();
                if (npm.ExitCode != 0)
                {
                    throw new InvalidOperationException($"npm ci in {directory} failed with {npm.ExitCode}.");
                }
            }
        }
        finally
        {
            InstallGate.Release();
        }

        return directory;
    }
}
