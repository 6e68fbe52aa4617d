using Microsoft.Extensions.Options;

namespace TusCluster.Hooks.Sinks;

/// <summary>Reports at start which events are configured for sinks that cannot take them.</summary>
internal sealed class HookSinksValidator(HookSinks sinks) : IValidateOptions<HooksOptions>
{
    public ValidateOptionsResult Validate(string? name, HooksOptions options) =>
        sinks.Errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(sinks.Errors);
}
