using Microsoft.Extensions.Options;

namespace TusCluster.Sweeping;

/// <summary>Start-up validation of <see cref="SweeperOptions"/>: one clear message per bad value.</summary>
internal sealed class SweeperOptionsValidator : IValidateOptions<SweeperOptions>
{
    public const int MaxBatchSize = 10_000;

    public ValidateOptionsResult Validate(string? name, SweeperOptions options)
    {
        var errors = new List<string>();
        const string section = SweeperOptions.SectionName;
        if (options.Interval <= TimeSpan.Zero || options.Interval > TimeSpan.FromDays(1))
        {
            errors.Add($"{section}:Interval must be above zero and at most one day (got {options.Interval}).");
        }

        if (options.BatchSize is < 1 or > MaxBatchSize)
        {
            errors.Add($"{section}:BatchSize must be between 1 and {MaxBatchSize} (got {options.BatchSize}).");
        }

        if (options.MaxDeletionsPerSecond < 0 || double.IsNaN(options.MaxDeletionsPerSecond) || double.IsInfinity(options.MaxDeletionsPerSecond))
        {
            errors.Add($"{section}:MaxDeletionsPerSecond must be 0 (unlimited) or a positive number (got {options.MaxDeletionsPerSecond}).");
        }

        if (options.FinishedRetention is { } retention && retention <= TimeSpan.Zero)
        {
            errors.Add($"{section}:FinishedRetention must be positive, or not set to keep finished uploads (got {retention}).");
        }

        // Bytes are written before their record is committed: a grace shorter than a slow creation or
        // a long PATCH could reclaim bytes that are about to get a record.
        if (options.OrphanGracePeriod is { } grace && grace < TimeSpan.FromMinutes(1))
        {
            errors.Add($"{section}:OrphanGracePeriod must be at least 00:01:00, or not set to turn orphan reclaim off (got {grace}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
