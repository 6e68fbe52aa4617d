using System.Text;

namespace TusCluster.Observability.Metrics;

/// <summary>The labels of one series, sorted by name and already rendered as <c>name="escaped value"</c>.</summary>
internal sealed class LabelSet
{
    public static readonly LabelSet Empty = new(string.Empty, []);

    private LabelSet(string key, string[] rendered)
    {
        Key = key;
        Rendered = rendered;
    }

    /// <summary>Identifies the series within its metric.</summary>
    public string Key { get; }

    public string[] Rendered { get; }

    public static string KeyOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return string.Empty;
        }

        if (tags.Length == 1)
        {
            return tags[0].Key + "\u0001" + PrometheusNaming.FormatLabel(tags[0].Value);
        }

        var pairs = new KeyValuePair<string, object?>[tags.Length];
        tags.CopyTo(pairs);
        Array.Sort(pairs, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var key = new StringBuilder();
        foreach (var pair in pairs)
        {
            key.Append(pair.Key).Append('\u0001').Append(PrometheusNaming.FormatLabel(pair.Value)).Append('\u0002');
        }

        return key.ToString();
    }

    public static LabelSet Create(string key, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return Empty;
        }

        var rendered = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            rendered[PrometheusNaming.Sanitize(tag.Key)] = PrometheusNaming.EscapeLabelValue(PrometheusNaming.FormatLabel(tag.Value));
        }

        return new LabelSet(key, [.. rendered.Select(p => $"{p.Key}=\"{p.Value}\"")]);
    }
}
