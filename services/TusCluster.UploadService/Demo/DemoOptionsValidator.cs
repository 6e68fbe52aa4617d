using Microsoft.Extensions.Options;
using TusCluster.Protocol;

namespace TusCluster.UploadService.Demo;

/// <summary>The page lives at <c>/</c>, so uploads must live elsewhere, and the page must have been built.</summary>
internal sealed class DemoOptionsValidator(IOptions<TusProtocolOptions> tus) : IValidateOptions<DemoOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        if (tus.Value.BasePath == "/")
        {
            return ValidateOptionsResult.Fail("Tus:Demo:Enabled needs a Tus:BasePath other than / (the page is served at /).");
        }

        return File.Exists(Path.Combine(DemoPage.Directory, "index.html"))
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Tus:Demo:Enabled: the demo page is missing from {DemoPage.Directory} (build the service with npm available).");
    }
}
