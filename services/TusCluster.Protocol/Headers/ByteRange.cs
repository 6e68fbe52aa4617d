using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace TusCluster.Protocol.Headers;

/// <summary>
/// The Range header of a download. Only a single range is served as 206; several ranges, or a
/// range with a stale If-Range, get the whole upload (which RFC 9110 allows).
/// </summary>
internal static class ByteRange
{
    public static RangeItemHeaderValue? Requested(HttpRequest request, EntityTagHeaderValue etag)
    {
        var header = request.Headers.Range.ToString();
        if (header.Length == 0 || !RangeHeaderValue.TryParse(header, out var range)
            || !"bytes".Equals(range.Unit.Value, StringComparison.OrdinalIgnoreCase) || range.Ranges.Count != 1)
        {
            return null;
        }

        var ifRange = request.Headers.IfRange.ToString();
        if (ifRange.Length > 0 && (!EntityTagHeaderValue.TryParse(ifRange, out var tag) || !tag.Compare(etag, useStrongComparison: true)))
        {
            return null;
        }

        return range.Ranges.First();
    }

    /// <summary>Turns a range into a start and a count within <paramref name="length"/>; false when unsatisfiable.</summary>
    public static bool TryResolve(RangeItemHeaderValue range, long length, out long start, out long count)
    {
        (start, count) = (0, 0);
        if (range.From is { } from)
        {
            if (from >= length)
            {
                return false;
            }

            var to = Math.Min(range.To ?? length - 1, length - 1);
            (start, count) = (from, to - from + 1);
            return true;
        }

        if (range.To is not { } suffix || suffix == 0 || length == 0)
        {
            return false;
        }

        count = Math.Min(suffix, length);
        start = length - count;
        return true;
    }
}
