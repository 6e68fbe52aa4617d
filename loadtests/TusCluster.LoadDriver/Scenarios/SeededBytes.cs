using System.Buffers.Binary;

namespace TusCluster.LoadDriver.Scenarios;

/// <summary>
/// Pseudo-random upload content addressed by position: byte p of a stream depends only on the seed
/// and p. Any range can be produced again at any time (to resend after an interruption, to hash a
/// concatenation), so no upload is ever held in memory.
/// </summary>
internal static class SeededBytes
{
    private const ulong Golden = 0x9E3779B97F4A7C15;

    public static void Fill(ulong seed, long position, Span<byte> destination)
    {
        var written = 0;
        while (written < destination.Length)
        {
            var p = position + written;
            var value = Word(seed, (ulong)p >> 3);
            var inWord = (int)(p & 7);
            if (inWord == 0 && destination.Length - written >= 8)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(destination[written..], value);
                written += 8;
            }
            else
            {
                destination[written] = (byte)(value >> (8 * inWord));
                written++;
            }
        }
    }

    // SplitMix64's output function: cheap, and good enough that no two uploads or positions collide in practice.
    private static ulong Word(ulong seed, ulong index)
    {
        var z = seed + ((index + 1) * Golden);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
