namespace TusCluster.Coordination.DynamoDb;

/// <summary>Bound from <c>Tus:Coordination:DynamoDb</c>.</summary>
public sealed class DynamoDbCoordinationOptions
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
}
