using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using TusCluster.Protocol;

namespace TusCluster.Storage.Azure;

/// <summary>Start-up validation of <see cref="AzureStoreOptions"/>: every problem, each naming its setting.</summary>
internal sealed partial class AzureStoreOptionsValidator(IOptions<TusProtocolOptions> protocol) : IValidateOptions<AzureStoreOptions>
{
    private const string Section = AzureStoreOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, AzureStoreOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(options.ConnectionString) == string.IsNullOrEmpty(options.AccountUrl))
        {
            problems.Add($"{Section}:ConnectionString or {Section}:AccountUrl must be set, not both.");
        }

        if (!string.IsNullOrEmpty(options.AccountUrl)
            && !(Uri.TryCreate(options.AccountUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)))
        {
            problems.Add($"{Section}:AccountUrl must be an absolute http(s) URL (https://<account>.blob.core.windows.net).");
        }

        if (!ContainerName().IsMatch(options.Container ?? string.Empty) || options.Container!.Contains("--", StringComparison.Ordinal))
        {
            problems.Add($"{Section}:Container must be a container name: 3-63 lowercase letters, digits and single '-', starting and ending with a letter or digit.");
        }

        if (options.BlobPrefix is null || options.BlobPrefix.Length > 512 || options.BlobPrefix.StartsWith('/') || options.BlobPrefix.Any(char.IsControl))
        {
            problems.Add($"{Section}:BlobPrefix must be at most 512 characters, without control characters, and must not start with '/'.");
        }

        if (options.BlockSize is < AzureStoreOptions.MinimumBlockSize or > AzureStoreOptions.MaximumBlockSize)
        {
            problems.Add($"{Section}:BlockSize must be between {AzureStoreOptions.MinimumBlockSize} (64 KiB) and {AzureStoreOptions.MaximumBlockSize} (256 MiB).");
        }

        var expiration = protocol.Value.Expiration;
        if (expiration <= TimeSpan.Zero || expiration > AzureStoreOptions.MaximumExpiration)
        {
            problems.Add($"Tus:Expiration must be between 00:00:01 and 6.00:00:00 with the Azure store: Azure drops blocks not committed for 7 days, so unfinished uploads must expire sooner.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerName();
}
