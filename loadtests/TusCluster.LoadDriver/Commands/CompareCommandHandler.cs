using TusCluster.LoadDriver.Reporting;
using TusCluster.LoadDriver.Scenarios;

namespace TusCluster.LoadDriver.Commands;

/// <summary>
/// `compare`: the same scenario against A (--url) and then B (--peer-url), one after the other so they
/// do not compete for the machine, and the ratios A/B (the figure docs/benchmarks.md reports).
/// </summary>
internal static class CompareCommandHandler
{
    public static async Task<int> ExecuteAsync(RunSettings a, RunSettings b, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        output.WriteLine($"-- A: {string.Join(' ', a.Urls)}");
        var summaryA = await LoadRunner.RunAsync(a, output, time, cancellationToken);
        output.WriteLine($"-- B: {string.Join(' ', b.Urls)}");
        var summaryB = await LoadRunner.RunAsync(b, output, time, cancellationToken);

        var report = new ComparisonReport(summaryA, summaryB);
        report.Write(output);
        if (a.JsonPath is { } path)
        {
            await JsonReport.WriteAsync(path, report, CancellationToken.None);
        }

        return report.Passed ? ExitCodes.Success : ExitCodes.ThresholdFailed;
    }
}
