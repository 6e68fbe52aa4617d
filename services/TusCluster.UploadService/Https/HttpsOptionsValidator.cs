using Microsoft.Extensions.Options;

namespace TusCluster.UploadService.Https;

/// <param name="httpsAddresses">Whether the listen addresses (Tus:Server:Urls or --urls) include an https:// one.</param>
/// <param name="kestrelCertificate">Whether Kestrel's own Kestrel:Certificates:Default supplies a (never reloaded) certificate.</param>
internal sealed class HttpsOptionsValidator(bool httpsAddresses, bool kestrelCertificate) : IValidateOptions<HttpsOptions>
{
    private static readonly TimeSpan MaxReloadInterval = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, HttpsOptions options)
    {
        const string section = HttpsOptions.SectionName;
        var errors = new List<string>();
        if (!options.IsEnabled)
        {
            if (httpsAddresses && !kestrelCertificate)
            {
                errors.Add($"An https:// listen address needs a certificate: set {section}:CertificateFile and {section}:KeyFile.");
            }

            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }

        if (string.IsNullOrWhiteSpace(options.CertificateFile))
        {
            errors.Add($"{section}:CertificateFile must name the PEM certificate file when {section}:KeyFile or {section}:Port is set.");
        }

        if (options.Port is { } port and (< 1 or > 65535))
        {
            errors.Add($"{section}:Port must be between 1 and 65535 (got {port}).");
        }

        if (options.Port is null && !httpsAddresses)
        {
            errors.Add($"{section} is configured but nothing listens on HTTPS: set {section}:Port or add an https:// address to Tus:Server:Urls or --urls.");
        }

        if (options.ReloadInterval <= TimeSpan.Zero || options.ReloadInterval > MaxReloadInterval)
        {
            errors.Add($"{section}:ReloadInterval must be positive and at most {MaxReloadInterval} (got {options.ReloadInterval}).");
        }

        if (errors.Count == 0 && !ServerCertificate.TryLoad(options, out _, out var error))
        {
            errors.Add(error);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
