using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Payload;

/// <summary>Reads a receiver's answer (HTTP body, process stdout) into memory up to a limit.</summary>
internal static class BoundedRead
{
    /// <exception cref="HookUnavailableException">The stream has more than <paramref name="maxBytes"/> bytes.</exception>
    public static async Task<byte[]> ReadAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[Math.Min(maxBytes + 1, 16 * 1024)];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.ToArray();
            }

            if (buffer.Length + read > maxBytes)
            {
                throw new HookUnavailableException($"The hook response has more than {maxBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }
    }
}
