namespace TusCluster.Observability.Tests.Infrastructure;

/// <summary>One PromQL target of a dashboard panel, with the row the panel sits under (null above the first row).</summary>
internal sealed record DashboardQuery(string? Row, string Panel, string Expression)
{
    public void Deconstruct(out string panel, out string expression)
    {
        panel = Panel;
        expression = Expression;
    }
}
