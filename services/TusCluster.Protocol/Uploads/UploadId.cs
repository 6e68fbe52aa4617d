using System.Security.Cryptography;

namespace TusCluster.Protocol.Uploads;

/// <summary>
/// Upload ids are 128 random bits as 32 lowercase hex characters. Anything else is rejected before
/// it can reach a path, an object key or a coordination key.
/// </summary>
public static class UploadId
{
    public const int Length = 32;

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }

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
