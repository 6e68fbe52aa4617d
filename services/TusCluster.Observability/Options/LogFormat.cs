namespace TusCluster.Observability.Options;

public enum LogFormat
{
    /// <summary>The console's human-readable lines.</summary>
    Text,

    /// <summary>One JSON object a line, with replica, trace id and upload id, for log collectors.</summary>
    Json,
}
