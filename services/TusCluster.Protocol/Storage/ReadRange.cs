using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Storage;

/// <summary>
/// The bytes a read of a finished upload may return: from <c>offset</c>, at most <c>count</c>, never past the
/// upload's length; <c>count</c> may be <see cref="long.MaxValue"/> ("to the end") without overflowing.
/// </summary>
public readonly record struct ReadRange(long Offset, long End)
{
    public long Length => End - Offset;

    public bool IsEmpty => End <= Offset;

    public static ReadRange Of(UploadRecord upload, long offset, long count)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return new(offset, Math.Min(upload.Length ?? long.MaxValue, offset + Math.Min(count, long.MaxValue - offset)));
    }
}
