using System.Diagnostics;

namespace TusCluster.Operator.Tests.Schemas;

/// <summary>Runs the node validators in tests/k8s-schemas (needs `npm ci` there first).</summary>
internal static class NodeValidator
{
    public sealed record Result(int ExitCode, string Output)
    {
        public IEnumerable<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static async Task<Result> RunAsync(string script, params string[] arguments)
    {
        Assert.True(
            Directory.Exists(Path.Combine(RepositoryPaths.SchemaTools, "node_modules", "kubernetes-models")),
            "Run `npm ci` in tests/k8s-schemas first: the schema validators need kubernetes-models and ajv.");
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepositoryPaths.SchemaTools,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout + await stderr);
    }
}
