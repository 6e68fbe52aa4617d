namespace TusCluster.Observability.Options;

/// <summary>Console log format, bound from <c>Tus:Logging</c>.</summary>
public sealed class LoggingOptions
{
    public const string SectionName = "Tus:Logging";

    public LogFormat Format { get; set; } = LogFormat.Text;
}
