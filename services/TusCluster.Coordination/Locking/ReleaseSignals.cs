namespace TusCluster.Coordination;

/// <summary>
/// For coordination backends: acquirers in this process waiting for an upload's lock to be released,
/// woken as soon as the backend says so (a released message, a local lease letting go) instead of at
/// their next retry.
/// </summary>
public sealed class ReleaseSignals
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<TaskCompletionSource>> _waiting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _polling = new(StringComparer.Ordinal);

    public TaskCompletionSource Register(string uploadId)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (!_waiting.TryGetValue(uploadId, out var list))
            {
                _waiting[uploadId] = list = [];
            }

            list.Add(signal);
        }

        return signal;
    }

    public void Unregister(string uploadId, TaskCompletionSource signal)
    {
        lock (_gate)
        {
            if (_waiting.TryGetValue(uploadId, out var list) && list.Remove(signal) && list.Count == 0)
            {
                _waiting.Remove(uploadId);
            }
        }
    }

    /// <summary>
    /// Makes the caller the one acquirer of this replica that polls the upload on a fast schedule, unless another
    /// one is: the others wait for the release signal it brings when it takes and lets go of the lock, so a crowd
    /// of waiters costs the backend no more than one. False when another acquirer polls.
    /// </summary>
    public bool TryLeadPolling(string uploadId)
    {
        lock (_gate)
        {
            return _polling.Add(uploadId);
        }
    }

    /// <summary>Ends the lead taken by <see cref="TryLeadPolling"/>.</summary>
    public void EndPolling(string uploadId)
    {
        lock (_gate)
        {
            _polling.Remove(uploadId);
        }
    }

    public void Signal(string uploadId)
    {
        List<TaskCompletionSource>? list;
        lock (_gate)
        {
            _waiting.Remove(uploadId, out list);
        }

        foreach (var signal in list ?? [])
        {
            signal.TrySetResult();
        }
    }
}
