using TusCluster.LoadDriver.Commands;
using TusCluster.LoadDriver.Metrics;

namespace TusCluster.LoadDriver.Reporting;

/// <summary>The result of one run, as printed and as written to --json. 1 MB = 10^6 bytes, as in docs/benchmarks.md.</summary>
internal sealed record RunSummary
{
    public required string Scenario { get; init; }

    public required IReadOnlyList<string> Urls { get; init; }

    public bool RandomEndpoint { get; init; }

    public int Vus { get; init; }

    public required string Sizes { get; init; }

    public long ChunkSize { get; init; }

    public double ElapsedSeconds { get; init; }

    /// <summary>True when Ctrl+C or SIGTERM ended the run before its duration or iterations were done.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>Keyed by HTTP method (POST, PATCH, HEAD, GET, DELETE); every kind is present, with zero counts when unused.</summary>
    public required IReadOnlyDictionary<string, RequestStats> Requests { get; init; }

    public long RequestCount { get; init; }

    public long ErrorCount { get; init; }

    /// <summary>Failed requests / requests sent.</summary>
    public double ErrorRate { get; init; }

    /// <summary>Failed requests by "METHOD status" or "METHOD exception types".</summary>
    public required IReadOnlyDictionary<string, long> Errors { get; init; }

    public long UploadsStarted { get; init; }

    /// <summary>Uploads the server reported complete.</summary>
    public long UploadsFinished { get; init; }

    /// <summary>Finished uploads read back with the same length and SHA-256 as sent.</summary>
    public long UploadsVerified { get; init; }

    /// <summary>Finished uploads read back with other bytes than were sent.</summary>
    public long UploadsCorrupted { get; init; }

    /// <summary>Finished uploads that could not be read back (404, 410, other status, network error).</summary>
    public long UploadsLost { get; init; }

    /// <summary>Those uploads (at most <see cref="RunMetrics.MaxListedUnreadable"/>) with their expected SHA-256 and length.</summary>
    public IReadOnlyList<UnreadableUpload> UnreadableUploads { get; init; } = [];

    /// <summary>Uploads given up before they finished because a request's retries were spent.</summary>
    public long UploadsAbandoned { get; init; }

    /// <summary>Uploads given up before they finished on a failure that is not retried (e.g. a 4xx).</summary>
    public long UploadsFailed { get; init; }

    /// <summary>
    /// HEADs that reported a smaller offset than the server had acknowledged for the upload: the server
    /// lost acknowledged bytes (the driver then re-sends them, so the read-back alone would not show it).
    /// </summary>
    public long OffsetRegressions { get; init; }

    /// <summary>Requests tried again after a retryable failure (each retry once).</summary>
    public long Retries { get; init; }

    /// <summary>PATCHes the resume scenario abandoned on purpose.</summary>
    public long Interruptions { get; init; }

    /// <summary>Failed PATCHes after which the upload went on from the server's offset (as tus clients do).</summary>
    public long Recoveries { get; init; }

    /// <summary>409s after an interruption, answered by continuing from the server's offset.</summary>
    public long OffsetConflicts { get; init; }

    /// <summary>Bytes the server acknowledged (offset advances), resent bytes counted again.</summary>
    public long BytesUploaded { get; init; }

    public double MegabytesPerSecond { get; init; }

    public double UploadsPerSecond { get; init; }

    public IReadOnlyList<string> ThresholdFailures { get; init; } = [];

    public bool Passed => ThresholdFailures.Count == 0;

    public static RunSummary From(RunSettings settings, RunMetrics metrics, TimeSpan elapsed, bool stoppedEarly)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        var requests = Enum.GetValues<RequestKind>().ToDictionary(
            kind => kind.ToString().ToUpperInvariant(),
            kind =>
            {
                var h = metrics.Latency(kind);
                return new RequestStats(h.Count, Round(h.PercentileMilliseconds(50)), Round(h.PercentileMilliseconds(95)), Round(h.PercentileMilliseconds(99)), Round(h.MeanMicroseconds / 1000), Round(h.MaxMicroseconds / 1000.0));
            },
            StringComparer.Ordinal);
        return new RunSummary
        {
            Scenario = settings.Scenario,
            Urls = [.. settings.Urls.Select(u => u.ToString())],
            RandomEndpoint = settings.RandomEndpoint,
            Vus = settings.Vus,
            Sizes = settings.Sizes.ToString(),
            ChunkSize = settings.ChunkSize,
            ElapsedSeconds = Math.Round(elapsed.TotalSeconds, 3),
            StoppedEarly = stoppedEarly,
            Requests = requests,
            RequestCount = metrics.Requests,
            ErrorCount = metrics.ErrorCount,
            ErrorRate = metrics.Requests == 0 ? 0 : (double)metrics.ErrorCount / metrics.Requests,
            Errors = metrics.Errors,
            UploadsStarted = metrics.UploadsStarted,
            UploadsFinished = metrics.UploadsFinished,
            UploadsVerified = metrics.UploadsVerified,
            UploadsCorrupted = metrics.UploadsCorrupted,
            UploadsLost = metrics.UploadsLost,
            UnreadableUploads = metrics.Unreadable,
            UploadsAbandoned = metrics.UploadsAbandoned,
            UploadsFailed = metrics.UploadsFailed,
            Retries = metrics.Retries,
            OffsetRegressions = metrics.OffsetRegressions,
            Interruptions = metrics.Interruptions,
            Recoveries = metrics.Recoveries,
            OffsetConflicts = metrics.OffsetConflicts,
            BytesUploaded = metrics.BytesUploaded,
            MegabytesPerSecond = Round(metrics.BytesUploaded / 1e6 / seconds),
            UploadsPerSecond = Round(metrics.UploadsFinished / seconds),
        };
    }

    private static double Round(double value) => Math.Round(value, 3);
}
