using System.Net;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Checksums;
using TusCluster.Protocol.Headers;

namespace TusCluster.Protocol;

/// <summary>Start-up validation of <see cref="TusProtocolOptions"/>: one clear message per bad value.</summary>
internal sealed class TusProtocolOptionsValidator : IValidateOptions<TusProtocolOptions>
{
    public ValidateOptionsResult Validate(string? name, TusProtocolOptions options)
    {
        var errors = new List<string>();
        if (!options.BasePath.StartsWith('/') || !options.BasePath.EndsWith('/') || options.BasePath.Contains("//", StringComparison.Ordinal)
            || options.BasePath.Split('/').Any(segment => segment is "." or "..")
            || options.BasePath.Any(c => c is '?' or '#' or '%' or ' ' or '\\'))
        {
            errors.Add($"Tus:BasePath must start and end with '/' and be a plain path, e.g. /files/ (got '{options.BasePath}').");
        }

        if (options.MaxUploadSize <= 0)
        {
            errors.Add($"Tus:MaxUploadSize must be a positive number of bytes (got {options.MaxUploadSize}).");
        }

        if (options.MaxConcatParts is < 1 or > UploadConcatHeader.MaxPartials)
        {
            errors.Add($"Tus:MaxConcatParts must be between 1 and {UploadConcatHeader.MaxPartials} (got {options.MaxConcatParts}).");
        }

        if (options.MaxMetadataSize is < 64 or > 65536)
        {
            errors.Add($"Tus:MaxMetadataSize must be between 64 and 65536 bytes (got {options.MaxMetadataSize}).");
        }

        if (options.Expiration < TimeSpan.Zero)
        {
            errors.Add($"Tus:Expiration must be zero (never) or positive (got {options.Expiration}).");
        }

        if (options.TombstoneRetention < TimeSpan.Zero)
        {
            errors.Add($"Tus:TombstoneRetention must not be negative (got {options.TombstoneRetention}).");
        }

        if (options.LockAcquireTimeout <= TimeSpan.Zero || options.LockAcquireTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"Tus:LockAcquireTimeout must be above zero and at most 5 minutes (got {options.LockAcquireTimeout}).");
        }

        if (options.RetryAfter < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Tus:RetryAfter must be at least one second (got {options.RetryAfter}).");
        }

        foreach (var algorithm in options.ChecksumAlgorithms ?? [])
        {
            if (ChecksumAlgorithm.FromName(algorithm) is null)
            {
                errors.Add($"Tus:ChecksumAlgorithms has '{algorithm}'; supported: sha1, md5, sha256.");
            }
        }

        if (options.PublicBaseUrl is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment)
            || !string.IsNullOrEmpty(uri.UserInfo) || uri.AbsolutePath != "/"))
        {
            errors.Add($"Tus:PublicBaseUrl must be an absolute http(s) URL without path or query, e.g. https://uploads.example.com (got '{url}').");
        }

        foreach (var proxy in options.TrustedProxies ?? [])
        {
            if (!IPAddress.TryParse(proxy, out _) && !IPNetwork.TryParse(proxy, out _))
            {
                errors.Add($"Tus:TrustedProxies has '{proxy}', which is neither an IP address nor a CIDR network.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
