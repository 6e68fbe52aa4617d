using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.S3;

/// <summary>
/// Builds a final upload from finished partial uploads, every part but the last of the part size. When
/// every partial but the last is a whole number of parts, S3 copies them itself (UploadPartCopy, one
/// part-sized range at a time); otherwise the bytes are streamed through a part buffer. Either way the object appears at once and complete, so a repeat simply rebuilds it.
/// </summary>
internal sealed class UploadConcatenator(S3Bucket bucket)
{
    public async Task ConcatenateAsync(UploadRecord final, IReadOnlyList<UploadRecord> partials, CancellationToken cancellationToken)
    {
        var key = bucket.Keys.Object(final);
        var headers = FinalObjectHeaders.From(final.Metadata);
        var sources = partials.Where(p => Length(p) > 0).Select(p => (Key: bucket.Keys.Object(p), Length: Length(p))).ToList();
        var total = sources.Sum(s => s.Length);
        if (total <= bucket.PartSize)
        {
            await PutThroughBufferAsync(key, headers, sources, total, cancellationToken);
            return;
        }

        var uploadId = await bucket.InitiateMultipartAsync(key, headers, cancellationToken);
        try
        {
            // Copied parts are part-sized pieces of one source each: only partials that end on a part
            // boundary keep every non-final part the same size (R2 rejects unequal parts).
            var copyable = sources.SkipLast(1).All(s => s.Length % bucket.PartSize == 0);
            var parts = copyable
                ? await CopyPartsAsync(key, uploadId, sources, cancellationToken)
                : await StreamPartsAsync(key, uploadId, sources, cancellationToken);
            await bucket.CompleteMultipartAsync(key, uploadId, parts, cancellationToken);
        }
        catch
        {
            await bucket.AbortMultipartAsync(key, uploadId, CancellationToken.None);
            throw;
        }
    }

    private static long Length(UploadRecord partial) =>
        partial.Length ?? throw new InvalidOperationException($"Partial upload {partial.Id} has no length.");

    private async Task PutThroughBufferAsync(string key, FinalObjectHeaders headers, List<(string Key, long Length)> sources, long total, CancellationToken cancellationToken)
    {
        using var buffer = new PartBuffer(Math.Max(1, (int)total));
        foreach (var (source, length) in sources)
        {
            await bucket.ReadIntoAsync(source, length, buffer, cancellationToken);
        }

        await bucket.PutAsync(key, buffer.Written, headers, cancellationToken);
    }

    private async Task<List<CommittedPart>> CopyPartsAsync(string key, string uploadId, List<(string Key, long Length)> sources, CancellationToken cancellationToken)
    {
        var parts = new List<CommittedPart>();
        foreach (var (source, length) in sources)
        {
            for (long first = 0; first < length; first += bucket.PartSize)
            {
                var last = Math.Min(length, first + bucket.PartSize) - 1;
                parts.Add(await bucket.CopyPartAsync(key, uploadId, parts.Count + 1, source, first, last, cancellationToken));
            }
        }

        return parts;
    }

    private async Task<List<CommittedPart>> StreamPartsAsync(string key, string uploadId, List<(string Key, long Length)> sources, CancellationToken cancellationToken)
    {
        var parts = new List<CommittedPart>();
        using var buffer = new PartBuffer(bucket.PartSize);
        foreach (var (source, length) in sources)
        {
            for (long position = 0; position < length;)
            {
                var count = Math.Min(length - position, buffer.Limit - buffer.Length);
                await bucket.ReadRangeIntoAsync(source, position, count, buffer, cancellationToken);
                position += count;
                if (buffer.IsFull)
                {
                    var (array, filled) = buffer.Detach(buffer.Limit);
                    parts.Add(await bucket.UploadPartAsync(key, uploadId, parts.Count + 1, array, filled, cancellationToken));
                }
            }
        }

        if (buffer.Length > 0)
        {
            var (array, filled) = buffer.Detach(0);
            parts.Add(await bucket.UploadPartAsync(key, uploadId, parts.Count + 1, array, filled, cancellationToken));
        }

        return parts;
    }
}
