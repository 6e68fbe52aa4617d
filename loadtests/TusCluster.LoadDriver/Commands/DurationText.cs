using System.Globalization;

namespace TusCluster.LoadDriver.Commands;

/// <summary>
/// Parses durations as k6 writes them ("500ms", "30s", "2m", "1h") as well as .NET TimeSpan text
/// ("00:00:30"), so the same numbers work for the k6 scripts and this driver.
/// </summary>
internal static class DurationText
{
    private static readonly (string Suffix, double Seconds)[] Units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];

    public static bool TryParse(string text, out TimeSpan duration)
    {
        var trimmed = text.Trim();
        foreach (var (suffix, seconds) in Units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(trimmed[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                && number >= 0)
            {
                duration = TimeSpan.FromSeconds(number * seconds);
                return true;
            }
        }

        return TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }
}
