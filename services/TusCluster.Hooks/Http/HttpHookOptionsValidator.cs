using Microsoft.Extensions.Options;
using TusCluster.Hooks.Sinks;

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

        RemoteHookOptionsValidation.Validate(Section, options, problems);
        if (!string.IsNullOrEmpty(options.Secret) && !RemoteHookOptionsValidation.IsToken(options.SecretHeaderName))
        {
            problems.Add($"{Section}:SecretHeaderName: '{options.SecretHeaderName}' is not an HTTP header name.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
