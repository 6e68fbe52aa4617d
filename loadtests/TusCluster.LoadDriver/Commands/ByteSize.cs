using System.Globalization;

namespace TusCluster.LoadDriver.Commands;

/// <summary>
/// Parses sizes such as "1024", "64KiB", "1MiB", "10MB" or "2GiB". Binary (KiB, MiB, GiB) and decimal
/// (KB, MB, GB) units are both accepted because people type both; "K", "M", "G" alone are binary.
/// </summary>
internal static class ByteSize
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30),
        ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000),
        ("K", 1L << 10), ("M", 1L << 20), ("G", 1L << 30), ("B", 1),
    ];

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var trimmed = text.Trim();
        long factor = 1;
        foreach (var (suffix, unitFactor) in Units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[..^suffix.Length].Trim();
                factor = unitFactor;
                break;
            }
        }

        if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number < 0 || double.IsNaN(number))
        {
            return false;
        }

        var value = number * factor;
        if (value > long.MaxValue / 2)
        {
            return false;
        }

        bytes = (long)Math.Round(value);
        return true;
    }

    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30}GiB",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20}MiB",
        >= 1L << 10 when bytes % (1L << 10) == 0 => $"{bytes >> 10}KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + "B",
    };
}
