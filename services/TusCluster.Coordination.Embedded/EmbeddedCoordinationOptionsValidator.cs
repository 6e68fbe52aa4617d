using Microsoft.Extensions.Options;

namespace TusCluster.Coordination.Embedded;

/// <summary>Start-up validation of <see cref="EmbeddedCoordinationOptions"/>.</summary>
internal sealed class EmbeddedCoordinationOptionsValidator : IValidateOptions<EmbeddedCoordinationOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbeddedCoordinationOptions options) =>
        string.IsNullOrWhiteSpace(options.Directory)
            ? ValidateOptionsResult.Fail($"{EmbeddedCoordinationOptions.SectionName}:Directory must name a directory.")
            : ValidateOptionsResult.Success;
}
