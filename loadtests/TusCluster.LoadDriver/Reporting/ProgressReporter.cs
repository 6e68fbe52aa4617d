using System.Diagnostics;
using System.Globalization;
using TusCluster.LoadDriver.Metrics;

namespace TusCluster.LoadDriver.Reporting;

/// <summary>One line a second while a run goes on, so a stalled server shows before the summary does.</summary>
internal static class ProgressReporter
{
    public static async Task RunAsync(TextWriter output, RunMetrics metrics, Stopwatch clock, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        long lastBytes = 0;
        var lastTime = TimeSpan.Zero;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var now = clock.Elapsed;
                var bytes = metrics.BytesUploaded;
                var rate = (bytes - lastBytes) / 1e6 / Math.Max((now - lastTime).TotalSeconds, 1e-9);
                (lastBytes, lastTime) = (bytes, now);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{now.TotalSeconds,6:0.0}s] uploads {metrics.UploadsFinished} done, {rate,8:0.00} MB/s, errors {metrics.ErrorCount}"));
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }
}
