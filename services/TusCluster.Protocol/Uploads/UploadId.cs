using System.Security.Cryptography;

namespace TusCluster.Protocol.Uploads;

/// <summary>
/// Upload ids are 128 random bits as 32 lowercase hex characters. Anything else is rejected before
/// it can reach a path, an object key or a coordination key.
/// </summary>
public static class UploadId
{
    public const int Length = 32;

    /// <summary>
    /// Well-formed, so every backend accepts it as a lease key, but never an upload: the sweeper's
    /// leader election holds an ordinary upload lease on it.
    /// </summary>
    public const string Reserved = "00000000000000000000000000000000";

    /// <summary>Like <see cref="Reserved"/>, for the leader that redelivers undelivered events.</summary>
    public const string ReservedForEvents = "00000000000000000000000000000001";

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        string id;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            id = Convert.ToHexStringLower(bytes);
        }
        while (id is Reserved or ReservedForEvents);

        return id;
    }

    /// <summary>A well-formed id that a client may name: anything but the reserved ones.</summary>
    public static bool IsUpload(ReadOnlySpan<char> id) => IsValid(id) && !id.SequenceEqual(Reserved) && !id.SequenceEqual(ReservedForEvents);

    public static bool IsValid(ReadOnlySpan<char> id)
    {
        if (id.Length != Length)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}
