using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.S3;

/// <summary>
/// Builds a final upload from finished partial uploads. When every partial but the last is large enough
/// to be a part, S3 copies them itself (UploadPartCopy); otherwise the bytes are streamed through a
/// part buffer. Either way the object appears at once and complete, so a repeat simply rebuilds it.
/// </summary>
internal sealed class UploadConcatenator(S3Bucket bucket)
{
    /// <summary>S3's largest part, also the largest range one UploadPartCopy may copy.</summary>
    private const long MaxCopyPart = 5L * 1024 * 1024 * 1024;

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
            var copyable = sources.SkipLast(1).All(s => s.Length >= S3StoreOptions.MinimumPartSize);
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
            // Equal pieces of at most 5 GiB: each is then far above the 5 MiB minimum.
            var pieces = (length + MaxCopyPart - 1) / MaxCopyPart;
            for (long piece = 0, first = 0; piece < pieces; piece++)
            {
                var last = piece == pieces - 1 ? length - 1 : first + (length / pieces) - 1;
                parts.Add(await bucket.CopyPartAsync(key, uploadId, parts.Count + 1, source, first, last, cancellationToken));
                first = last + 1;
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
