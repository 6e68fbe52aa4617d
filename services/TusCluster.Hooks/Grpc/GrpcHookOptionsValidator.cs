using Microsoft.Extensions.Options;
using TusCluster.Hooks.Sinks;

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

        RemoteHookOptionsValidation.Validate(Section, options, problems);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
