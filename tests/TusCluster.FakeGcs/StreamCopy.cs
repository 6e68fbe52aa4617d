namespace TusCluster.FakeGcs;

internal static class StreamCopy
{
    /// <summary>Copies exactly <paramref name="count"/> bytes (fewer only if the source ends) in 64 KiB pieces.</summary>
    public static async Task CopyAsync(Stream source, Stream destination, long count, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        while (count > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken);
            if (read == 0)
            {
                return;
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            count -= read;
        }
    }
}
