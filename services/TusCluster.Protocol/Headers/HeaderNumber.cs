namespace TusCluster.Protocol.Headers;

/// <summary>
/// Strict parsing of tus size and offset headers: ASCII digits only (no sign, no spaces, no
/// exponent), at most the range of a signed 64-bit integer.
/// </summary>
public static class HeaderNumber
{
    public static bool TryParseNonNegative(string? value, out long result)
    {
        result = 0;
        if (string.IsNullOrEmpty(value) || value.Length > 19)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            if (result > (long.MaxValue - (c - '0')) / 10)
            {
                return false;
            }

            result = (result * 10) + (c - '0');
        }

        return true;
    }
}
