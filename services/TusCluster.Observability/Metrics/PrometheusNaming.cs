using System.Globalization;
using System.Text;

namespace TusCluster.Observability.Metrics;

/// <summary>
/// Maps OpenTelemetry-style instrument names and UCUM units to Prometheus names, as the OpenTelemetry
/// Prometheus compatibility rules do: dots become underscores, the unit becomes a suffix (unless the
/// name already says it), annotations such as {upload} are dropped, and counters end in _total.
/// </summary>
internal static class PrometheusNaming
{
    private static readonly Dictionary<string, string> Units = new(StringComparer.Ordinal)
    {
        ["d"] = "days",
        ["h"] = "hours",
        ["min"] = "minutes",
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["us"] = "microseconds",
        ["ns"] = "nanoseconds",
        ["By"] = "bytes",
        ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes",
        ["GiBy"] = "gibibytes",
        ["KBy"] = "kilobytes",
        ["MBy"] = "megabytes",
        ["GBy"] = "gigabytes",
        ["bit"] = "bits",
        ["%"] = "percent",
        ["Hz"] = "hertz",
    };

    /// <summary>Units after "per" are singular: bytes_per_second.</summary>
    private static readonly Dictionary<string, string> PerUnits = new(StringComparer.Ordinal)
    {
        ["d"] = "day",
        ["h"] = "hour",
        ["min"] = "minute",
        ["s"] = "second",
        ["ms"] = "millisecond",
    };

    public static string MetricName(string instrumentName, string? unit, MetricKind kind, bool isCounter)
    {
        var name = Sanitize(instrumentName);
        var suffix = UnitSuffix(unit, kind);
        if (suffix.Length > 0 && !("_" + name + "_").Contains("_" + suffix + "_", StringComparison.Ordinal))
        {
            name += "_" + suffix;
        }

        if (isCounter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    public static string UnitSuffix(string? unit, MetricKind kind)
    {
        if (string.IsNullOrEmpty(unit))
        {
            return string.Empty;
        }

        if (unit == "1")
        {
            return kind == MetricKind.Gauge ? "ratio" : string.Empty;
        }

        var slash = unit.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var over = Single(unit[..slash]);
            var per = PerUnits.TryGetValue(unit[(slash + 1)..], out var singular) ? singular : Single(unit[(slash + 1)..]);
            return per.Length == 0 ? over : over.Length == 0 ? "per_" + per : over + "_per_" + per;
        }

        return Single(unit);
    }

    /// <summary>Replaces every character Prometheus does not allow in a metric or label name by '_'.</summary>
    public static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            var valid = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_';
            var next = valid ? c : '_';
            if (next == '_' && builder.Length > 0 && builder[^1] == '_')
            {
                continue;
            }

            builder.Append(next);
        }

        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }

    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static string FormatLabel(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string Single(string unit)
    {
        if (unit.StartsWith('{'))
        {
            return string.Empty;
        }

        return Units.TryGetValue(unit, out var mapped) ? mapped : Sanitize(unit).Trim('_').ToLowerInvariant();
    }
}
