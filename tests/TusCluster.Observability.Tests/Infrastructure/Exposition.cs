using System.Globalization;
using System.Text.RegularExpressions;

namespace TusCluster.Observability.Tests.Infrastructure;

/// <summary>Reads samples out of a Prometheus text scrape, whatever order the exporter writes labels in.</summary>
internal static partial class Exposition
{
    /// <summary>The value of the series with exactly these labels; null when the scrape has no such series.</summary>
    public static double? Sample(string text, string name, params (string Name, string Value)[] labels)
    {
        var wanted = labels.ToDictionary(l => l.Name, l => l.Value, StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var sample = SampleLine().Match(line);
            if (!sample.Success || sample.Groups["name"].Value != name)
            {
                continue;
            }

            var found = LabelPair().Matches(sample.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
            if (found.Count == wanted.Count && found.All(l => wanted.TryGetValue(l.Key, out var value) && value == l.Value))
            {
                return double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>.*)\})? (?<value>\S+)(?: \d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(""""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"""")]
    private static partial Regex LabelPair();
}
