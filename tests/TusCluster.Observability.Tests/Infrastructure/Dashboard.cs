using System.Text.Json;

namespace TusCluster.Observability.Tests.Infrastructure;

/// <summary>A Grafana dashboard file of the chart, read for the PromQL of its panels.</summary>
internal sealed record Dashboard(string File, IReadOnlyList<(string Panel, string Expression)> Queries)
{
    public static string Folder => Path.Combine(RepositoryPaths.Root, "charts", "tuscluster", "dashboards");

    public static Dashboard Load(string fileName)
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(Folder, fileName)));
        var queries = new List<(string, string)>();
        Collect(document.RootElement.GetProperty("panels"), queries);
        return new Dashboard(fileName, queries);
    }

    /// <summary>Grafana's interval variables become a fixed window Prometheus accepts.</summary>
    public static string ForPrometheus(string expression) =>
        expression.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$__interval", "1m", StringComparison.Ordinal);

    private static void Collect(JsonElement panels, List<(string, string)> queries)
    {
        foreach (var panel in panels.EnumerateArray())
        {
            var title = panel.TryGetProperty("title", out var t) ? t.GetString() ?? "?" : "?";
            if (panel.TryGetProperty("targets", out var targets))
            {
                foreach (var target in targets.EnumerateArray())
                {
                    queries.Add((title, target.GetProperty("expr").GetString()!));
                }
            }

            if (panel.TryGetProperty("panels", out var nested))
            {
                Collect(nested, queries);
            }
        }
    }
}
