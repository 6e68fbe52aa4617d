using Microsoft.Extensions.Options;
using TusCluster.Hooks.Payload;

namespace TusCluster.Hooks.Http;

/// <summary>Start-up validation of <see cref="HttpHookOptions"/>: every problem, each naming its setting.</summary>
internal sealed class HttpHookOptionsValidator : IValidateOptions<HttpHookOptions>
{
    private const string Section = HttpHookOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, HttpHookOptions options)
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || string.IsNullOrEmpty(url.Host))
        {
            problems.Add($"{Section}:Url: '{options.Url}' is not an absolute http or https URL, like https://hooks.example/tus.");
        }

        HookEventsSetting.Validate(Section, options.Events, problems);
        if (options.Timeout <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:Timeout must be positive.");
        }

        if (options.TotalTimeout < options.Timeout)
        {
            problems.Add($"{Section}:TotalTimeout must be at least {Section}:Timeout.");
        }

        if (options.Retries is < 0 or > 20)
        {
            problems.Add($"{Section}:Retries must be between 0 and 20.");
        }

        if (options.Backoff < TimeSpan.Zero)
        {
            problems.Add($"{Section}:Backoff must not be negative.");
        }

        if (!string.IsNullOrEmpty(options.Secret) && !IsToken(options.SecretHeaderName))
        {
            problems.Add($"{Section}:SecretHeaderName: '{options.SecretHeaderName}' is not an HTTP header name.");
        }

        foreach (var header in options.ForwardHeaders.Where(header => !IsToken(header)))
        {
            problems.Add($"{Section}:ForwardHeaders: '{header}' is not an HTTP header name.");
        }

        if (options.MaxResponseBytes is < 1 or > 16 * 1024 * 1024)
        {
            problems.Add($"{Section}:MaxResponseBytes must be between 1 and 16777216.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    internal static bool IsToken(string? name) =>
        !string.IsNullOrEmpty(name) && name.All(c => c is > ' ' and < (char)0x7f && !"\"(),/:;<=>?@[\\]{}".Contains(c, StringComparison.Ordinal));
}
