using Microsoft.Extensions.Options;
using TusCluster.Hooks.Http;
using TusCluster.Hooks.Payload;

namespace TusCluster.Hooks.Grpc;

/// <summary>Start-up validation of <see cref="GrpcHookOptions"/>: every problem, each naming its setting.</summary>
internal sealed class GrpcHookOptionsValidator : IValidateOptions<GrpcHookOptions>
{
    private const string Section = GrpcHookOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, GrpcHookOptions options)
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(options.Address, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https") || string.IsNullOrEmpty(address.Host) || address.AbsolutePath != "/")
        {
            problems.Add($"{Section}:Address: '{options.Address}' is not an http or https address without a path, like http://hooks:8000.");
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

        foreach (var header in options.ForwardHeaders.Where(header => !HttpHookOptionsValidator.IsToken(header)))
        {
            problems.Add($"{Section}:ForwardHeaders: '{header}' is not an HTTP header name.");
        }

        if (options.MaxResponseBytes is < 1 or > 16 * 1024 * 1024)
        {
            problems.Add($"{Section}:MaxResponseBytes must be between 1 and 16777216.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
