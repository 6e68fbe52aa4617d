using Google;
using TusCluster.Protocol.Storage;
using Object = Google.Apis.Storage.v1.Data.Object;

namespace TusCluster.Storage.Gcs;

/// <summary>
/// Makes an upload's final object once, idempotently: the object is only ever created
/// (ifGenerationMatch=0), so when a finisher finds it there (an earlier finisher crashed before its
/// commit, or two finish at once) it adopts it after checking its size.
/// </summary>
internal sealed class FinalObjectBuilder(GcsBucket bucket)
{
    private readonly ObjectComposer _composer = new(bucket);

    public async Task<FinalObject> BuildAsync(string name, long length, IReadOnlyList<ComposeSource> sources, ObjectHeaders headers, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await bucket.GetAsync(name, cancellationToken) is { } existing)
            {
                return Adopt(existing, length);
            }

            try
            {
                return Adopt(await _composer.ComposeAsync(name, sources, headers, cancellationToken), length);
            }
            catch (GoogleApiException e) when (attempt == 0 && (GcsErrors.IsPreconditionFailed(e) || GcsErrors.IsNotFound(e)))
            {
                // Another finisher created the object (412) or already removed the chunks after doing so (404).
            }
        }
    }

    private static FinalObject Adopt(Object made, long length) =>
        (long)(made.Size ?? 0) == length
            ? new FinalObject(made.Generation ?? 0, made.ComponentCount ?? 1)
            : throw new StoreUnavailableException($"GCS object {made.Name} holds {made.Size} bytes where the upload has {length}.");
}
