using System.Globalization;
using System.Text;
using Amazon.S3.Model;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.S3;

/// <summary>
/// Completion on servers that insist that CompleteMultipartUpload lists every uploaded part (Ceph RGW
/// answers InvalidPart otherwise; AWS does not): parts uploaded by writers whose chunks were never
/// committed cannot be left out there. The multipart upload is completed with every part, then the
/// committed byte ranges are copied by S3 into a second multipart upload on the same key. The ranges
/// are written to a temporary layout object first, so a finisher that dies between the two steps is
/// resumed by the next one.
/// </summary>
internal sealed class StrayPartCompletion(S3Bucket bucket)
{
    public async Task CompleteAsync(string key, string uploadId, IReadOnlyList<CommittedPart> committed, FinalObjectHeaders headers, CancellationToken cancellationToken)
    {
        var ranges = await AssembleEveryPartAsync(key, uploadId, committed, cancellationToken);
        await CopyCommittedRangesAsync(key, ranges, headers, cancellationToken);
    }

    /// <summary>The first step: records where the committed parts will lie, then completes with every uploaded part.</summary>
    internal async Task<List<(long Offset, long Size)>> AssembleEveryPartAsync(string key, string uploadId, IReadOnlyList<CommittedPart> committed, CancellationToken cancellationToken)
    {
        var uploaded = await ListPartsAsync(key, uploadId, cancellationToken);
        var offsets = new Dictionary<int, long>();
        long offset = 0;
        foreach (var part in uploaded)
        {
            offsets[part.Number] = offset;
            offset += part.Size;
        }

        var ranges = new List<(long Offset, long Size)>();
        foreach (var part in committed.OrderBy(p => p.Number))
        {
            var found = uploaded.FirstOrDefault(p => p.Number == part.Number);
            if (found is null || found.Size != part.Size || Unquote(found.ETag) != Unquote(part.ETag))
            {
                throw new InvalidDataException($"Committed part {part.Number} of {key} is not in its multipart upload.");
            }

            ranges.Add((offsets[part.Number], part.Size));
        }

        await bucket.PutAsync(LayoutKey(key), Encoding.ASCII.GetBytes(FormatLayout(ranges)), null, cancellationToken);
        await bucket.CompleteMultipartAsync(key, uploadId, uploaded, cancellationToken);
        return ranges;
    }

    /// <summary>Finishes a completion that stopped after its first step; false when there is nothing to resume.</summary>
    public async Task<bool> TryResumeAsync(string key, FinalObjectHeaders headers, CancellationToken cancellationToken)
    {
        var layout = await bucket.GetSizeAsync(LayoutKey(key), cancellationToken);
        if (layout is null)
        {
            return false;
        }

        using var buffer = new PartBuffer((int)Math.Max(1, layout.Value));
        await bucket.ReadIntoAsync(LayoutKey(key), layout.Value, buffer, cancellationToken);
        var ranges = ParseLayout(Encoding.ASCII.GetString(buffer.Written));
        await CopyCommittedRangesAsync(key, ranges, headers, cancellationToken);
        return true;
    }

    private static string LayoutKey(string key) => key + ObjectKeys.TempSuffix + "layout";

    private async Task CopyCommittedRangesAsync(string key, List<(long Offset, long Size)> ranges, FinalObjectHeaders headers, CancellationToken cancellationToken)
    {
        var uploadId = await bucket.InitiateMultipartAsync(key, headers, cancellationToken);
        try
        {
            var parts = new List<CommittedPart>();
            foreach (var (offset, size) in ranges)
            {
                parts.Add(await bucket.CopyPartAsync(key, uploadId, parts.Count + 1, key, offset, offset + size - 1, cancellationToken));
            }

            await bucket.CompleteMultipartAsync(key, uploadId, parts, cancellationToken);
        }
        catch
        {
            await bucket.AbortMultipartAsync(key, uploadId, CancellationToken.None);
            throw;
        }

        await bucket.DeleteAsync([LayoutKey(key)], cancellationToken);
    }

    private async Task<List<CommittedPart>> ListPartsAsync(string key, string uploadId, CancellationToken cancellationToken)
    {
        var parts = new List<CommittedPart>();
        var request = new ListPartsRequest { BucketName = bucket.Name, Key = key, UploadId = uploadId };
        while (true)
        {
            var page = await bucket.Client.ListPartsAsync(request, cancellationToken);
            parts.AddRange((page.Parts ?? []).Select(p => new CommittedPart(p.PartNumber ?? 0, p.ETag, p.Size ?? 0)));
            if (page.IsTruncated != true)
            {
                return parts;
            }

            request.PartNumberMarker = page.NextPartNumberMarker?.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static string Unquote(string etag) => etag.Trim('"');

    private static string FormatLayout(List<(long Offset, long Size)> ranges) =>
        string.Join('\n', ranges.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Offset} {r.Size}")));

    private static List<(long Offset, long Size)> ParseLayout(string layout) =>
        [.. layout.Split('\n').Select(line => line.Split(' ')).Select(f => (long.Parse(f[0], CultureInfo.InvariantCulture), long.Parse(f[1], CultureInfo.InvariantCulture)))];
}
