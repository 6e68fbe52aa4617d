using System.Diagnostics;
using System.Text.Json;

namespace TusCluster.Testing;

/// <summary>Runs one node script of the repository's tests that prints a single JSON line, and returns that line.</summary>
public static class NodeScript
{
    /// <param name="script">Path of the script, relative to the repository root (e.g. tests/browser/demo-resume.mjs).</param>
    public static async Task<JsonElement> RunAsync(string script, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var path = Path.Combine(RepositoryPaths.Root, script);
        var node = new ProcessStartInfo("node")
        {
            WorkingDirectory = Path.GetDirectoryName(path)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            node.Environment[name] = value;
        }

        node.ArgumentList.Add(path);
        using var process = Process.Start(node)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within {timeout.TotalSeconds:0} s: {await errors}");
        }

        var line = (await output).Trim();
        return line.Length > 0
            ? JsonDocument.Parse(line).RootElement.Clone()
            : throw new InvalidOperationException($"{script} printed nothing (exit {process.ExitCode}): {await errors}");
    }
}
