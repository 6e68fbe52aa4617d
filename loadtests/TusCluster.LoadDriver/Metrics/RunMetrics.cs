using System.Collections.Concurrent;

namespace TusCluster.LoadDriver.Metrics;

/// <summary>
/// Everything one run counts, shared by all virtual users. Counters are interlocked so the progress
/// line can read them while the run goes on.
/// </summary>
internal sealed class RunMetrics
{
    /// <summary>The most unreadable uploads listed in the summary (their count is always exact).</summary>
    public const int MaxListedUnreadable = 1000;

    private readonly ConcurrentQueue<UnreadableUpload> _unreadable = new();
    private readonly LatencyHistogram[] _latency = [.. Enum.GetValues<RequestKind>().Select(_ => new LatencyHistogram())];
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private long _requests;
    private long _errorCount;
    private long _bytesUploaded;
    private long _uploadsStarted;
    private long _uploadsFinished;
    private long _uploadsVerified;
    private long _uploadsCorrupted;
    private long _uploadsLost;
    private long _interruptions;
    private long _offsetConflicts;
    private long _recoveries;
    private long _retries;
    private long _uploadsAbandoned;
    private long _uploadsFailed;
    private long _offsetRegressions;

    public long Requests => Interlocked.Read(ref _requests);

    public long ErrorCount => Interlocked.Read(ref _errorCount);

    public long BytesUploaded => Interlocked.Read(ref _bytesUploaded);

    public long UploadsStarted => Interlocked.Read(ref _uploadsStarted);

    public long UploadsFinished => Interlocked.Read(ref _uploadsFinished);

    public long UploadsVerified => Interlocked.Read(ref _uploadsVerified);

    public long UploadsCorrupted => Interlocked.Read(ref _uploadsCorrupted);

    public long UploadsLost => Interlocked.Read(ref _uploadsLost);

    public long Interruptions => Interlocked.Read(ref _interruptions);

    public long OffsetConflicts => Interlocked.Read(ref _offsetConflicts);

    public long Recoveries => Interlocked.Read(ref _recoveries);

    public long Retries => Interlocked.Read(ref _retries);

    public long UploadsAbandoned => Interlocked.Read(ref _uploadsAbandoned);

    public long UploadsFailed => Interlocked.Read(ref _uploadsFailed);

    public long OffsetRegressions => Interlocked.Read(ref _offsetRegressions);

    public IReadOnlyDictionary<string, long> Errors => new SortedDictionary<string, long>(_errors, StringComparer.Ordinal);

    public LatencyHistogram Latency(RequestKind kind) => _latency[(int)kind];

    public void RequestSent() => Interlocked.Increment(ref _requests);

    /// <summary>Counts a failed request under a key such as "PATCH 500" or "GET HttpRequestException/SocketException".</summary>
    public void Error(string key)
    {
        Interlocked.Increment(ref _errorCount);
        _errors.AddOrUpdate(key, 1, static (_, n) => n + 1);
    }

    public void BytesAcknowledged(long bytes) => Interlocked.Add(ref _bytesUploaded, bytes);

    public void UploadStarted() => Interlocked.Increment(ref _uploadsStarted);

    public void UploadFinished() => Interlocked.Increment(ref _uploadsFinished);

    public void UploadVerified() => Interlocked.Increment(ref _uploadsVerified);

    public void UploadCorrupted() => Interlocked.Increment(ref _uploadsCorrupted);

    public void UploadLost(Uri upload, byte[] expectedHash, long expectedLength)
    {
        if (Interlocked.Increment(ref _uploadsLost) <= MaxListedUnreadable)
        {
            _unreadable.Enqueue(new UnreadableUpload(upload.ToString(), Convert.ToHexStringLower(expectedHash), expectedLength));
        }
    }

    public IReadOnlyList<UnreadableUpload> Unreadable => [.. _unreadable];

    public void Interrupted() => Interlocked.Increment(ref _interruptions);

    /// <summary>A PATCH failed and the upload went on from the offset a HEAD reported.</summary>
    public void Recovered() => Interlocked.Increment(ref _recoveries);

    public void OffsetConflict() => Interlocked.Increment(ref _offsetConflicts);

    /// <summary>A failed request is about to be tried again (after its retry delay).</summary>
    public void Retried() => Interlocked.Increment(ref _retries);

    /// <summary>An upload was given up before it finished because its retries were spent.</summary>
    public void UploadAbandoned() => Interlocked.Increment(ref _uploadsAbandoned);

    /// <summary>An upload was given up before it finished on a failure no tus client retries (e.g. a 4xx).</summary>
    public void UploadFailed() => Interlocked.Increment(ref _uploadsFailed);

    /// <summary>A HEAD reported less than the server had already acknowledged: acknowledged bytes were lost.</summary>
    public void OffsetRegressed() => Interlocked.Increment(ref _offsetRegressions);
}
