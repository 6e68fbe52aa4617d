namespace TusCluster.Observability.ErrorReporting;

/// <summary>Error reporting to Sentry, bound from <c>Tus:Sentry</c>. Off unless <see cref="Dsn"/> is set.</summary>
public sealed class ErrorReportingOptions
{
    public const string SectionName = "Tus:Sentry";

    /// <summary>The project's DSN (https://key@host/project); null or empty: nothing is reported and the SDK is not started.</summary>
    public string? Dsn { get; set; }

    /// <summary>The environment events are filed under; null: the host's environment name, lower-cased.</summary>
    public string? Environment { get; set; }

    /// <summary>Share of error events sent, in (0, 1].</summary>
    public double SampleRate { get; set; } = 1.0;

    /// <summary>Share of requests traced by Sentry, in [0, 1]; 0 because tracing is OpenTelemetry's.</summary>
    public double TracesSampleRate { get; set; }

    /// <summary>The SDK's own diagnostics, written to the service's log.</summary>
    public bool Debug { get; set; }

    internal bool IsEnabled => !string.IsNullOrWhiteSpace(Dsn);
}
