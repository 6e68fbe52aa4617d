using System.Text.RegularExpressions;

namespace TusCluster.Coordination.DynamoDb;

/// <summary>Bound from <c>Tus:Coordination:DynamoDb</c>.</summary>
public sealed partial class DynamoDbCoordinationOptions
{
    public const string SectionName = "Tus:Coordination:DynamoDb";

    /// <summary>Endpoint URL (DynamoDB Local, dynalite, a VPC endpoint); empty for the AWS endpoint of <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    public string Region { get; set; } = "us-east-1";

    public string TableName { get; set; } = "tuscluster";

    /// <summary>Creates the table (and its expiry index) at start when it is missing, and waits until it is ACTIVE.</summary>
    public bool CreateTable { get; set; }

    /// <summary>How long a lock outlives its last renewal; renewed every third of it.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a replica holding leases reads their hand-over requests (one batched read for all of them).</summary>
    public TimeSpan HandOverPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Bound of one operation, retries of reads included.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Static credentials; both empty for the default AWS credential chain (environment, profile, instance role).</summary>
    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>Every problem with these options, each naming its setting; empty when they are usable.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!string.IsNullOrEmpty(ServiceUrl)
            && (!Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            problems.Add($"{SectionName}:ServiceUrl must be empty (AWS) or an http(s) URL, like http://127.0.0.1:8000.");
        }

        if (string.IsNullOrEmpty(Region) || !RegionPattern().IsMatch(Region))
        {
            problems.Add($"{SectionName}:Region must be an AWS region name, like us-east-1.");
        }

        if (string.IsNullOrEmpty(TableName) || !TableNamePattern().IsMatch(TableName))
        {
            problems.Add($"{SectionName}:TableName must be 3-255 characters of a-z, A-Z, 0-9, '_', '-' and '.'.");
        }

        // Expiry is judged by wall clocks of different replicas: a TTL far above their skew keeps that safe.
        if (LeaseTtl < TimeSpan.FromSeconds(1))
        {
            problems.Add($"{SectionName}:LeaseTtl must be at least 00:00:01.");
        }

        if (HandOverPollInterval < TimeSpan.FromMilliseconds(10) || HandOverPollInterval >= LeaseTtl)
        {
            problems.Add($"{SectionName}:HandOverPollInterval must be at least 00:00:00.010 and shorter than {SectionName}:LeaseTtl.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:RequestTimeout must be positive.");
        }

        if (string.IsNullOrEmpty(AccessKey) != string.IsNullOrEmpty(SecretKey))
        {
            problems.Add($"{SectionName}:AccessKey and {SectionName}:SecretKey must be set together (or both left empty for the default credential chain).");
        }

        return problems;
    }

    [GeneratedRegex("^[a-z]{2}(-[a-z0-9]+)+-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();

    [GeneratedRegex("^[a-zA-Z0-9_.-]{3,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex TableNamePattern();
}
