using System.Globalization;
using TusCluster.LoadDriver.Commands;

namespace TusCluster.LoadDriver.Reporting;

/// <summary>
/// Decides whether a run passed. Corrupted or lost uploads always fail it, thresholds or not: a server
/// that loses acknowledged bytes is broken however fast it is. So does a run in which not one upload
/// finished (e.g. every POST answered 501): its throughput figures would be zeros that look like results.
/// An offset regression (a HEAD below an acknowledged offset) is lost acknowledged data too.
/// </summary>
internal static class ThresholdEvaluator
{
    public static IReadOnlyList<string> Evaluate(RunSettings settings, RunSummary summary)
    {
        var failures = new List<string>();
        if (summary.UploadsCorrupted > 0)
        {
            failures.Add(Text($"{summary.UploadsCorrupted} upload(s) corrupted"));
        }

        if (summary.UploadsLost > 0)
        {
            failures.Add(Text($"{summary.UploadsLost} upload(s) lost"));
        }

        if (summary.OffsetRegressions > 0)
        {
            failures.Add(Text($"{summary.OffsetRegressions} offset regression(s): acknowledged bytes lost"));
        }

        if (summary.UploadsStarted > 0 && summary.UploadsFinished == 0 && !summary.StoppedEarly)
        {
            failures.Add("no upload finished");
        }

        if (settings.MaxErrorRate is { } maxRate && summary.ErrorRate > maxRate)
        {
            failures.Add(Text($"error rate {summary.ErrorRate:0.####} > {maxRate:0.####}"));
        }

        CheckP95(failures, summary, "PATCH", settings.MaxP95PatchMs);
        CheckP95(failures, summary, "POST", settings.MaxP95CreateMs);
        return failures;
    }

    private static void CheckP95(List<string> failures, RunSummary summary, string kind, double? limit)
    {
        if (limit is not { } max)
        {
            return;
        }

        var stats = summary.Requests[kind];
        if (stats.Count == 0)
        {
            // A limit on requests that were never made cannot be shown to hold.
            failures.Add($"p95 {kind}: no {kind} requests were made");
        }
        else if (stats.P95Ms > max)
        {
            failures.Add(Text($"p95 {kind} {stats.P95Ms:0.###} ms > {max:0.###} ms"));
        }
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
