using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace TusCluster.Storage.Gcs;

/// <summary>Start-up validation of <see cref="GcsStoreOptions"/>: every problem, each naming its setting.</summary>
internal sealed partial class GcsStoreOptionsValidator : IValidateOptions<GcsStoreOptions>
{
    private const string Section = GcsStoreOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, GcsStoreOptions options)
    {
        var problems = new List<string>();
        if (!BucketName().IsMatch(options.Bucket ?? string.Empty) || options.Bucket!.Contains("..", StringComparison.Ordinal) || options.Bucket.StartsWith("goog", StringComparison.Ordinal))
        {
            problems.Add($"{Section}:Bucket must be a bucket name: 3-63 lowercase letters, digits, '-', '_' and '.', starting and ending with a letter or digit, not starting with 'goog'.");
        }

        if (!string.IsNullOrEmpty(options.Endpoint)
            && !(Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)))
        {
            problems.Add($"{Section}:Endpoint must be empty (Google Cloud Storage) or an absolute http(s) URL.");
        }

        if (options.NoAuthentication && string.IsNullOrEmpty(options.Endpoint))
        {
            problems.Add($"{Section}:NoAuthentication is only for a test server: set {Section}:Endpoint with it.");
        }

        if (options.NoAuthentication && !string.IsNullOrEmpty(options.CredentialsFile))
        {
            problems.Add($"{Section}:NoAuthentication and {Section}:CredentialsFile exclude each other.");
        }

        if (!string.IsNullOrEmpty(options.CredentialsFile) && !File.Exists(options.CredentialsFile))
        {
            problems.Add($"{Section}:CredentialsFile '{options.CredentialsFile}' does not exist.");
        }

        if (options.ObjectPrefix is null || options.ObjectPrefix.Length > 512 || options.ObjectPrefix.StartsWith('/') || options.ObjectPrefix.Any(char.IsControl))
        {
            problems.Add($"{Section}:ObjectPrefix must be at most 512 characters, without control characters, and must not start with '/'.");
        }

        if (options.UploadChunkSize is < GcsStoreOptions.UploadGranularity or > 256 * 1024 * 1024 || options.UploadChunkSize % GcsStoreOptions.UploadGranularity != 0)
        {
            problems.Add($"{Section}:UploadChunkSize must be a multiple of 262144 (256 KiB) between 262144 and 268435456 (256 MiB).");
        }

        if (options.ComponentSize is < GcsStoreOptions.UploadGranularity or > GcsBucket.MaxComponentSize)
        {
            problems.Add($"{Section}:ComponentSize must be between 262144 (256 KiB) and 1073741824 (1 GiB).");
        }

        if (options.CreateBucket && string.IsNullOrWhiteSpace(options.ProjectId))
        {
            problems.Add($"{Section}:ProjectId must name the project the bucket is created in when {Section}:CreateBucket is set.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketName();
}
