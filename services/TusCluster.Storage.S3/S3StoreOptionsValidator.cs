using Microsoft.Extensions.Options;
using TusCluster.S3Client;

namespace TusCluster.Storage.S3;

/// <summary>Start-up validation of <see cref="S3StoreOptions"/>: every problem, each naming its setting.</summary>
internal sealed class S3StoreOptionsValidator : IValidateOptions<S3StoreOptions>
{
    private const string Section = S3StoreOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, S3StoreOptions options)
    {
        var problems = new List<string>();
        S3ConnectionValidation.ValidateBucket(options.Bucket, Section, problems);
        S3ConnectionValidation.ValidateKeyPrefix(options.KeyPrefix, Section, problems);
        S3ConnectionValidation.Validate(options, Section, problems);

        if (options.PartSize is < S3StoreOptions.MinimumPartSize or > S3StoreOptions.MaximumPartSize)
        {
            problems.Add($"{Section}:PartSize must be between 5242880 (5 MiB, the S3 minimum) and 1073741824 (1 GiB).");
        }

        if (options.MaxConcurrentPartUploads is < 1 or > 16)
        {
            problems.Add($"{Section}:MaxConcurrentPartUploads must be between 1 and 16.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
