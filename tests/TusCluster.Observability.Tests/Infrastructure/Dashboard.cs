using System.Text.Json;

namespace TusCluster.Observability.Tests.Infrastructure;

/// <summary>A Grafana dashboard file of the chart, read for the PromQL of its panels.</summary>
internal sealed record Dashboard(string File, IReadOnlyList<DashboardQuery> Queries)
{
    public static string Folder => Path.Combine(RepositoryPaths.Root, "charts", "tuscluster", "dashboards");

    public static Dashboard Load(string fileName)
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(Folder, fileName)));
        var queries = new List<DashboardQuery>();
        Collect(document.RootElement.GetProperty("panels"), null, queries);
        return new Dashboard(fileName, queries);
    }

    /// <summary>Grafana's interval variables become a fixed window Prometheus accepts.</summary>
    public static string ForPrometheus(string expression) =>
        expression.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$__interval", "1m", StringComparison.Ordinal);

    /// <summary>The queries of the panels under the row titled <paramref name="row"/>.</summary>
    public Dashboard InRow(string row) => this with { Queries = [.. Queries.Where(q => q.Row == row)] };

    /// <summary>The queries of every panel not under the row titled <paramref name="row"/>.</summary>
    public Dashboard ExceptRow(string row) => this with { Queries = [.. Queries.Where(q => q.Row != row)] };

    private static void Collect(JsonElement panels, string? row, List<DashboardQuery> queries)
    {
        foreach (var panel in panels.EnumerateArray())
        {
            var title = panel.TryGetProperty("title", out var t) ? t.GetString() ?? "?" : "?";
            var isRow = panel.TryGetProperty("type", out var type) && type.GetString() == "row";

            // An expanded row is followed by its panels; a collapsed one holds them in "panels".
            row = isRow ? title : row;
            if (panel.TryGetProperty("targets", out var targets))
            {
                foreach (var target in targets.EnumerateArray())
                {
                    queries.Add(new DashboardQuery(row, title, target.GetProperty("expr").GetString()!));
                }
            }

            if (panel.TryGetProperty("panels", out var nested))
            {
                Collect(nested, row, queries);
            }
        }
    }
}
