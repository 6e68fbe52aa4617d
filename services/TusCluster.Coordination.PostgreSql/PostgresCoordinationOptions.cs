namespace TusCluster.Coordination.PostgreSql;

/// <summary>Bound from <c>Tus:Coordination:PostgreSql</c>.</summary>
public sealed class PostgresCoordinationOptions
{
    public const string SectionName = "Tus:Coordination:PostgreSql";

    public const string DefaultSchema = "tus";

    /// <summary>
    /// An Npgsql connection string (<c>Host=db;Username=tus;Password=...;Database=tus</c>). Pooling, several hosts
    /// (<c>Host=a,b;Target Session Attributes=primary</c>), TLS and keep-alives are Npgsql's settings.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The schema holding the tables; lowercase letters, digits and '_', at most 40 characters.</summary>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>Creates the schema and its tables at start when they are missing (needs CREATE on the database).</summary>
    public bool CreateSchema { get; set; }

    /// <summary>How long a lease outlives its last renewal, by the database server's clock; renewed every third of it.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Bound of one statement, connecting included; then the request gets a 503.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
