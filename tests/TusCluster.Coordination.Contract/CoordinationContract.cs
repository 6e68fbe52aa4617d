using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Contract;

/// <summary>
/// The base of the contract tests: builds replicas (coordination instances standing in for upload
/// service processes) that share one namespace of their own per test — their own records and expiry
/// index — and disposes them at the end.
/// </summary>
public abstract class CoordinationContract : IAsyncDisposable
{
    protected static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private readonly string _isolation = Guid.NewGuid().ToString("N")[..16];
    private readonly List<object> _replicas = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A new replica in the namespace <paramref name="isolation"/> (a key prefix, a table, a directory):
    /// replicas of one namespace see the same uploads. A backend that can only have one instance per
    /// namespace (in-process) returns that instance every time.
    /// </summary>
    protected abstract IUploadCoordination CreateReplica(string isolation);

    /// <summary>Completes once <paramref name="replica"/> hears hand-over requests (some backends subscribe in the background).</summary>
    protected virtual Task ListeningForHandOverAsync(IUploadCoordination replica) => Task.CompletedTask;

    protected IUploadCoordination Replica()
    {
        var replica = CreateReplica(_isolation);
        if (!_replicas.Contains(replica))
        {
            _replicas.Add(replica);
        }

        return replica;
    }

    protected static UploadRecord NewRecord(string id, long offset = 0, DateTimeOffset? expiresAt = null) => TestRecords.New(id, offset, expiresAt);

    protected static void AssertSameRecord(UploadRecord expected, UploadRecord? actual) => TestRecords.AssertSame(expected, actual);

    /// <summary>Takes the lease, commits the record (a new one if none) with the given expiry, releases.</summary>
    protected static async Task<UploadRecord> CommitAsync(IUploadCoordination coordination, string id, DateTimeOffset? expiresAt)
    {
        await using var lease = await coordination.AcquireAsync(id, Generous, Ct);
        return await lease.CommitAsync((lease.Record ?? NewRecord(id)) with { ExpiresAt = expiresAt }, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            switch (replica)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }

        await DisposeBackendAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the backend's test set up besides the replicas (temporary directories).</summary>
    protected virtual ValueTask DisposeBackendAsync() => ValueTask.CompletedTask;
}
