using TusCluster.LoadDriver.Reporting;
using TusCluster.LoadDriver.Scenarios;

namespace TusCluster.LoadDriver.Commands;

/// <summary>`run`: one scenario against one set of endpoints.</summary>
internal static class RunCommandHandler
{
    public static async Task<int> ExecuteAsync(RunSettings settings, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        var summary = await LoadRunner.RunAsync(settings, output, time, cancellationToken);
        TextReport.Write(output, summary);
        if (settings.JsonPath is { } path)
        {
            await JsonReport.WriteAsync(path, summary, CancellationToken.None);
        }

        return summary.Passed ? ExitCodes.Success : ExitCodes.ThresholdFailed;
    }
}
