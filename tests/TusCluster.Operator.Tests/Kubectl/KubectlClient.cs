using System.Diagnostics;

namespace TusCluster.Operator.Tests.Kubectl;

/// <summary>
/// Runs the kubectl binary (KUBECTL, else kubectl on PATH; tests/servers/install.sh installs it) as a user
/// would, against one API server: its own kubeconfig and discovery cache in a temporary directory.
/// </summary>
internal sealed class KubectlClient : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);
    private readonly string _directory;

    private KubectlClient(string directory) => _directory = directory;

    public string KubeconfigPath => Path.Combine(_directory, "config");

    /// <summary>A kubeconfig whose current context points at <paramref name="server"/> with a bearer token and a default namespace.</summary>
    public static KubectlClient For(Uri server, string defaultNamespace)
    {
        var client = new KubectlClient(Directory.CreateTempSubdirectory("kubectl-").FullName);
        File.WriteAllText(client.KubeconfigPath, $"""
            apiVersion: v1
            kind: Config
            current-context: fake
            clusters:
              - name: fake
                cluster: {"{"} server: "{server}" {"}"}
            users:
              - name: tester
                user: {"{"} token: test-token {"}"}
            contexts:
              - name: fake
                context: {"{"} cluster: fake, user: tester, namespace: {defaultNamespace} {"}"}
            """);
        return client;
    }

    public async Task<KubectlResult> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("KUBECTL") ?? "kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--kubeconfig=" + KubeconfigPath);
        start.ArgumentList.Add("--cache-dir=" + Path.Combine(_directory, "cache"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        return new KubectlResult("kubectl " + string.Join(' ', arguments), process.ExitCode, await output, await error);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
