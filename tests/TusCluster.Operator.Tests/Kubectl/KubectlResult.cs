namespace TusCluster.Operator.Tests.Kubectl;

/// <summary>What one kubectl run printed and how it exited.</summary>
internal sealed record KubectlResult(string Command, int ExitCode, string Output, string Error)
{
    /// <summary>Fails the test with kubectl's own words unless it exited 0.</summary>
    public KubectlResult Succeeded()
    {
        Assert.True(ExitCode == 0, $"`{Command}` exited {ExitCode}:\n{Error}\n{Output}");
        return this;
    }

    /// <summary>The lines of the output, split into whitespace-separated cells (a table as kubectl prints it).</summary>
    public IReadOnlyList<string[]> Rows() =>
        Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
}
