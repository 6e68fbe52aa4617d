using System.Collections.Concurrent;
using System.Diagnostics;

namespace TusCluster.Operator.Tests.Kubectl;

/// <summary>
/// The operator as it runs in a cluster: its own process, a kubeconfig, leader election, default timings
/// unless a test passes options (a later option overrides an earlier one of the same key). Stopped by killing
/// exactly this process; its output is kept for failures.
/// </summary>
internal sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private OperatorProcess(Process process) => _process = process;

    /// <summary>What the operator printed so far (to explain a failure).</summary>
    public string Output => string.Join('\n', _output);

    public static OperatorProcess Start(string kubeconfig, params string[] options)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "TusCluster.Operator.dll"));
        start.ArgumentList.Add("--Operator:Kubeconfig=" + kubeconfig);
        start.ArgumentList.Add("--Operator:Urls=http://127.0.0.1:0");
        start.ArgumentList.Add("--Operator:Identity=kubectl-tests");
        foreach (var option in options) start.ArgumentList.Add(option);
        var operatorProcess = new OperatorProcess(Process.Start(start)!);
        operatorProcess._process.OutputDataReceived += (_, e) => operatorProcess.Keep(e.Data);
        operatorProcess._process.ErrorDataReceived += (_, e) => operatorProcess.Keep(e.Data);
        operatorProcess._process.BeginOutputReadLine();
        operatorProcess._process.BeginErrorReadLine();
        return operatorProcess;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(CancellationToken.None);
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > 500) _output.TryDequeue(out _);
    }
}
