namespace TusCluster.Operator.Status;

/// <summary>One status condition (Ready, Progressing or Degraded) as the API conventions describe it.</summary>
internal sealed record Condition(string Type, bool Status, string Reason, string Message)
{
    public const string Ready = "Ready";
    public const string Progressing = "Progressing";
    public const string Degraded = "Degraded";
}
