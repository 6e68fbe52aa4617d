using System.Text.RegularExpressions;

namespace TusCluster.Observability.Tests.Infrastructure;

/// <summary>Finds the metric names a PromQL expression reads (enough PromQL for our dashboards and rules).</summary>
internal static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "on", "and", "or", "unless", "without", "ignoring", "bool", "offset", "group_left", "group_right", "inf", "nan",
    };

    public static IReadOnlySet<string> MetricNames(string expression)
    {
        // Label matchers, grouping lists, range selectors and strings name no metric.
        var stripped = Strings().Replace(expression, " ");
        stripped = Braces().Replace(stripped, " ");
        stripped = Grouping().Replace(stripped, " ");
        stripped = Ranges().Replace(stripped, " ");
        return Identifiers().Matches(stripped)
            .Where(m => !m.Groups["call"].Success && !Keywords.Contains(m.Groups["name"].Value.ToLowerInvariant()))
            .Select(m => m.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex("\\{[^}]*\\}")]
    private static partial Regex Braces();

    [GeneratedRegex("\\b(?:by|on|without|ignoring|group_left|group_right)\\s*\\([^)]*\\)")]
    private static partial Regex Grouping();

    [GeneratedRegex("\\[[^\\]]*\\]")]
    private static partial Regex Ranges();

    [GeneratedRegex("(?<![\\w.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\\s*\\()?")]
    private static partial Regex Identifiers();
}
