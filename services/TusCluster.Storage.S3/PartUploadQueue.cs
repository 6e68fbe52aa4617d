namespace TusCluster.Storage.S3;

/// <summary>
/// The part uploads of one request: at most <c>maxInFlight</c> run at once (each holds a part buffer),
/// and the reader waits for a slot before it starts another. A failed upload fails the next call.
/// </summary>
internal sealed class PartUploadQueue(int maxInFlight) : IAsyncDisposable
{
    private readonly List<Task<CommittedPart>> _all = [];
    private readonly List<Task<CommittedPart>> _running = [];
    private readonly CancellationTokenSource _abandon = new();

    /// <summary>Cancels the uploads when the queue is disposed without <see cref="WhenAllAsync"/>.</summary>
    public CancellationToken Abandoned => _abandon.Token;

    public async Task WaitForSlotAsync()
    {
        while (true)
        {
            foreach (var done in _running.Where(t => t.IsCompleted).ToList())
            {
                _running.Remove(done);
                if (!done.IsCompletedSuccessfully)
                {
                    await done;
                }
            }

            if (_running.Count < maxInFlight)
            {
                return;
            }

            await Task.WhenAny(_running);
        }
    }

    /// <summary>Adds a started upload; call <see cref="WaitForSlotAsync"/> first.</summary>
    public void Add(Task<CommittedPart> upload)
    {
        _all.Add(upload);
        _running.Add(upload);
    }

    /// <summary>The uploaded parts, in the order they were added.</summary>
    public async Task<CommittedPart[]> WhenAllAsync() => await Task.WhenAll(_all);

    public async ValueTask DisposeAsync()
    {
        if (_all.Any(t => !t.IsCompleted))
        {
            await _abandon.CancelAsync();
            try
            {
                await Task.WhenAll(_all);
            }
            catch (Exception)
            {
                // Abandoned after another failure, which is the one reported; the parts are never listed.
            }
        }

        _abandon.Dispose();
    }
}
