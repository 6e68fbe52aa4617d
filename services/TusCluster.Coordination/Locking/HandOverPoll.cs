using System.Diagnostics;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination;

/// <summary>
/// For backends that cannot push a hand-over request to the holder's replica (DynamoDB, S3 conditional writes):
/// while this replica holds leases, one look at the requests for all of them every interval. The loop ends when
/// the last lease is gone and the next lease starts it again, so a replica that holds nothing sends nothing.
/// A failed look is reported and the next one comes an interval later. Looks fall on a fixed beat counted from
/// the poll's creation, so a lease taken just now is looked at after half an interval on average, as with a loop
/// that never stops, not after a whole one.
/// </summary>
/// <param name="interval">Time between two looks; a request waits half of it on average.</param>
/// <param name="anyHeld">Whether this replica holds a lease now.</param>
/// <param name="pollOnce">One look at the requests for every lease held here; signals the leases asked to hand over.</param>
/// <param name="pollFailed">Called with a look that failed because the backend could not be reached.</param>
public sealed class HandOverPoll(
    TimeSpan interval, Func<bool> anyHeld, Func<CancellationToken, Task> pollOnce, Action<CoordinationUnavailableException> pollFailed) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly long _epoch = Stopwatch.GetTimestamp();
    private readonly TimeSpan _interval = interval > TimeSpan.Zero ? interval : throw new ArgumentOutOfRangeException(nameof(interval));
    private Task? _loop;
    private bool _disposed;

    /// <summary>Whether the loop runs now (tests).</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _loop is { IsCompleted: false };
            }
        }
    }

    /// <summary>Starts the loop unless it runs; call after the new lease can be seen by <c>anyHeld</c>.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _loop ??= Task.Run(() => RunAsync(_stop.Token));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            loop = _loop;
        }

        await _stop.CancelAsync();
        if (loop is not null)
        {
            await loop;
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var sinceEpoch = Stopwatch.GetElapsedTime(_epoch);
                await Task.Delay(_interval - TimeSpan.FromTicks(sinceEpoch.Ticks % _interval.Ticks), stop);
                lock (_gate)
                {
                    // Decided under the gate Start takes: a lease added before its Start is either seen here, or
                    // its Start finds the loop gone and starts another.
                    if (!anyHeld())
                    {
                        _loop = null;
                        return;
                    }
                }

                try
                {
                    await pollOnce(stop);
                }
                catch (CoordinationUnavailableException e)
                {
                    pollFailed(e);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Disposed.
        }
    }
}
