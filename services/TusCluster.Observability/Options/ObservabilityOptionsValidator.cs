using Microsoft.Extensions.Options;

namespace TusCluster.Observability.Options;

/// <summary>Checks the observability settings at start, so a bad value stops the host with a precise message.</summary>
internal sealed class ObservabilityOptionsValidator : IValidateOptions<MetricsOptions>, IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.Path) || options.Path[0] != '/' || options.Path.IndexOfAny(['?', '#', ' ']) >= 0)
        {
            failures.Add($"{MetricsOptions.SectionName}:Path must be an absolute path such as /metrics (is '{options.Path}').");
        }

        if (options.Port is { } port && port is < 1 or > 65535)
        {
            failures.Add($"{MetricsOptions.SectionName}:Port must be between 1 and 65535 (is {port}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var failures = new List<string>();
        if (options.OtlpEndpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
        {
            failures.Add($"{TelemetryOptions.SectionName}:OtlpEndpoint must be an absolute http or https address (is '{endpoint}').");
        }

        if (!(options.TraceSampleRatio is >= 0 and <= 1))
        {
            failures.Add($"{TelemetryOptions.SectionName}:TraceSampleRatio must be between 0 and 1 (is {options.TraceSampleRatio}).");
        }

        if (!(options.MaxTracesPerSecond is >= 0 and <= 1_000_000))
        {
            failures.Add($"{TelemetryOptions.SectionName}:MaxTracesPerSecond must be between 0 (no limit) and 1000000 (is {options.MaxTracesPerSecond}).");
        }

        if (options.ServiceName is { } service && string.IsNullOrWhiteSpace(service))
        {
            failures.Add($"{TelemetryOptions.SectionName}:ServiceName must not be blank.");
        }

        if (options.ReplicaName is { } replica && string.IsNullOrWhiteSpace(replica))
        {
            failures.Add($"{TelemetryOptions.SectionName}:ReplicaName must not be blank.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
