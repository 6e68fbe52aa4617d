using System.Globalization;

namespace TusCluster.LoadDriver.Reporting;

/// <summary>The human-readable summary printed at the end of a run.</summary>
internal static class TextReport
{
    public static void Write(TextWriter output, RunSummary s)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"== {s.Scenario}: {s.Vus} VUs, {s.ElapsedSeconds:0.0} s, sizes {s.Sizes}, chunk {s.ChunkSize} B, {(s.RandomEndpoint ? "random endpoint" : "sticky endpoint")}{(s.StoppedEarly ? ", STOPPED EARLY" : string.Empty)}"));
        output.WriteLine("   " + string.Join(' ', s.Urls));
        output.WriteLine(string.Create(c, $"{"request",-8}{"count",10}{"p50 ms",12}{"p95 ms",12}{"p99 ms",12}{"max ms",12}"));
        foreach (var (kind, r) in s.Requests)
        {
            output.WriteLine(string.Create(c, $"{kind,-8}{r.Count,10}{r.P50Ms,12:0.00}{r.P95Ms,12:0.00}{r.P99Ms,12:0.00}{r.MaxMs,12:0.00}"));
        }

        output.WriteLine(string.Create(c, $"throughput: {s.MegabytesPerSecond:0.00} MB/s, {s.UploadsPerSecond:0.00} uploads/s ({s.BytesUploaded} bytes acknowledged)"));
        output.WriteLine(string.Create(c, $"uploads: {s.UploadsStarted} started, {s.UploadsFinished} finished, {s.UploadsVerified} verified, {s.UploadsCorrupted} corrupted, {s.UploadsLost} lost, {s.UploadsAbandoned} abandoned (retries spent), {s.UploadsFailed} failed (not retryable); {s.Retries} retries; {s.OffsetRegressions} offset regressions"));
        if (s.Interruptions > 0 || s.OffsetConflicts > 0 || s.Recoveries > 0)
        {
            output.WriteLine(string.Create(c, $"resume: {s.Interruptions} interruptions, {s.OffsetConflicts} offset conflicts (409) resolved, {s.Recoveries} failed PATCHes recovered from HEAD"));
        }

        output.WriteLine(string.Create(c, $"errors: {s.ErrorCount} of {s.RequestCount} requests ({s.ErrorRate:0.00%})"));
        foreach (var (key, count) in s.Errors)
        {
            output.WriteLine(string.Create(c, $"  {key}: {count}"));
        }

        output.WriteLine(s.Passed ? "result: passed" : "result: FAILED: " + string.Join("; ", s.ThresholdFailures));
    }
}
