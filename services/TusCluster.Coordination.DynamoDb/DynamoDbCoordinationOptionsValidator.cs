using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace TusCluster.Coordination.DynamoDb;

/// <summary>Start-up validation of <see cref="DynamoDbCoordinationOptions"/>: every problem, each naming its setting.</summary>
internal sealed partial class DynamoDbCoordinationOptionsValidator : IValidateOptions<DynamoDbCoordinationOptions>
{
    private const string Section = DynamoDbCoordinationOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, DynamoDbCoordinationOptions options)
    {
        var problems = new List<string>();
        if (!string.IsNullOrEmpty(options.ServiceUrl)
            && (!Uri.TryCreate(options.ServiceUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            problems.Add($"{Section}:ServiceUrl must be empty (AWS) or an http(s) URL, like http://127.0.0.1:8000.");
        }

        if (string.IsNullOrEmpty(options.Region) || !RegionPattern().IsMatch(options.Region))
        {
            problems.Add($"{Section}:Region must be an AWS region name, like us-east-1.");
        }

        if (string.IsNullOrEmpty(options.TableName) || !TableNamePattern().IsMatch(options.TableName))
        {
            problems.Add($"{Section}:TableName must be 3-255 characters of a-z, A-Z, 0-9, '_', '-' and '.'.");
        }

        // Expiry is judged by wall clocks of different replicas: a TTL far above their skew keeps that safe.
        if (options.LeaseTtl < TimeSpan.FromSeconds(1))
        {
            problems.Add($"{Section}:LeaseTtl must be at least 00:00:01.");
        }

        if (options.HandOverPollInterval < TimeSpan.FromMilliseconds(10) || options.HandOverPollInterval >= options.LeaseTtl)
        {
            problems.Add($"{Section}:HandOverPollInterval must be at least 00:00:00.010 and shorter than {Section}:LeaseTtl.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:RequestTimeout must be positive.");
        }

        if (string.IsNullOrEmpty(options.AccessKey) != string.IsNullOrEmpty(options.SecretKey))
        {
            problems.Add($"{Section}:AccessKey and {Section}:SecretKey must be set together (or both left empty for the default credential chain).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    [GeneratedRegex("^[a-z]{2}(-[a-z0-9]+)+-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();

    [GeneratedRegex("^[a-zA-Z0-9_.-]{3,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex TableNamePattern();
}
