using Microsoft.Extensions.Options;
using TusCluster.S3Client;

namespace TusCluster.Coordination.S3;

/// <summary>Start-up validation of <see cref="S3CoordinationOptions"/>: every problem, each naming its setting.</summary>
internal sealed class S3CoordinationOptionsValidator : IValidateOptions<S3CoordinationOptions>
{
    private const string Section = S3CoordinationOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, S3CoordinationOptions options)
    {
        var problems = new List<string>();
        S3ConnectionValidation.ValidateBucket(options.Bucket, Section, problems);
        S3ConnectionValidation.ValidateKeyPrefix(options.KeyPrefix, Section, problems);
        S3ConnectionValidation.Validate(options, Section, problems);

        // Expiry is judged by wall clocks of different replicas: a TTL far above their skew keeps that safe.
        if (options.LeaseTtl < TimeSpan.FromSeconds(1))
        {
            problems.Add($"{Section}:LeaseTtl must be at least 00:00:01.");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(10) || options.PollInterval >= options.LeaseTtl / 3)
        {
            problems.Add($"{Section}:PollInterval must be at least 00:00:00.010 and shorter than a third of {Section}:LeaseTtl.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(1))
        {
            problems.Add($"{Section}:RequestTimeout must be positive and at most 00:01:00.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
