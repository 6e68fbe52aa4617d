using Microsoft.Extensions.Options;

namespace TusCluster.Observability.ErrorReporting;

/// <summary>Checks the Sentry settings at start: the SDK would throw on some bad values only when it is first used.</summary>
internal sealed class ErrorReportingOptionsValidator : IValidateOptions<ErrorReportingOptions>
{
    private const string Section = ErrorReportingOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ErrorReportingOptions options)
    {
        var failures = new List<string>();
        if (options.IsEnabled && !IsDsn(options.Dsn!))
        {
            // The DSN holds the project's key: name the rule, not the value.
            failures.Add($"{Section}:Dsn must be a Sentry DSN such as https://publickey@o0.ingest.sentry.io/123 (an absolute http or https address with a key and a project id).");
        }

        if (options.Environment is { } environment && (string.IsNullOrWhiteSpace(environment) || environment.Length > 64 || environment.Contains('/')))
        {
            failures.Add($"{Section}:Environment must be 1 to 64 characters without '/' (is '{environment}').");
        }

        if (double.IsNaN(options.SampleRate) || options.SampleRate is <= 0 or > 1)
        {
            failures.Add($"{Section}:SampleRate must be greater than 0 and at most 1 (is {options.SampleRate}); to send nothing, leave {Section}:Dsn unset.");
        }

        if (double.IsNaN(options.TracesSampleRate) || options.TracesSampleRate is < 0 or > 1)
        {
            failures.Add($"{Section}:TracesSampleRate must be between 0 and 1 (is {options.TracesSampleRate}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsDsn(string dsn)
    {
        if (!Uri.TryCreate(dsn.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        // The project id is the last path segment.
        var path = uri.AbsolutePath.TrimEnd('/');
        return path.Length > path.LastIndexOf('/') + 1;
    }
}
