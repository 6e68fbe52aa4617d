using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Storage;

/// <summary>The staging context of a writer holding <paramref name="lease"/> for <paramref name="upload"/>.</summary>
internal sealed class LeaseStagingContext(IUploadLease lease, UploadRecord upload) : IStagingContext
{
    public long FencingToken => lease.FencingToken;

    public bool RecordExists => lease.Record is not null;

    public async ValueTask CommitStoreStateAsync(string? storeState, CancellationToken cancellationToken)
    {
        if (!RecordExists)
        {
            throw new InvalidOperationException($"Upload {upload.Id} has no record yet; a reservation would create it.");
        }

        await lease.CommitAsync(upload with { StoreState = storeState }, cancellationToken);
    }
}
