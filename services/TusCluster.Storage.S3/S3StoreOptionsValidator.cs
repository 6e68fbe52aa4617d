using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace TusCluster.Storage.S3;

/// <summary>Start-up validation of <see cref="S3StoreOptions"/>: every problem, each naming its setting.</summary>
internal sealed partial class S3StoreOptionsValidator : IValidateOptions<S3StoreOptions>
{
    private const string Section = S3StoreOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, S3StoreOptions options)
    {
        var problems = new List<string>();
        if (!BucketName().IsMatch(options.Bucket ?? string.Empty) || options.Bucket!.Contains("..", StringComparison.Ordinal))
        {
            problems.Add($"{Section}:Bucket must be a bucket name: 3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit.");
        }

        if (!string.IsNullOrEmpty(options.ServiceUrl)
            && !(Uri.TryCreate(options.ServiceUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)))
        {
            problems.Add($"{Section}:ServiceUrl must be empty (AWS) or an absolute http(s) URL.");
        }

        if (string.IsNullOrWhiteSpace(options.Region))
        {
            problems.Add($"{Section}:Region must name a region (for example us-east-1).");
        }

        if (options.KeyPrefix is null || options.KeyPrefix.Length > 512 || options.KeyPrefix.StartsWith('/') || options.KeyPrefix.Any(char.IsControl))
        {
            problems.Add($"{Section}:KeyPrefix must be at most 512 characters, without control characters, and must not start with '/'.");
        }

        if (options.PartSize is < S3StoreOptions.MinimumPartSize or > S3StoreOptions.MaximumPartSize)
        {
            problems.Add($"{Section}:PartSize must be between 5242880 (5 MiB, the S3 minimum) and 1073741824 (1 GiB).");
        }

        if (options.MaxConcurrentPartUploads is < 1 or > 16)
        {
            problems.Add($"{Section}:MaxConcurrentPartUploads must be between 1 and 16.");
        }

        if (string.IsNullOrEmpty(options.AccessKey) != string.IsNullOrEmpty(options.SecretKey))
        {
            problems.Add($"{Section}:AccessKey and {Section}:SecretKey must be set together (or both left empty for the default AWS credential chain).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketName();
}
