namespace TusCluster.Operator.Resources;

internal sealed record PostgreSqlCoordinationSpec
{
    /// <summary>The Npgsql connection string (it holds the password) comes from a Secret, never from the spec.</summary>
    public PasswordSecretRef? ConnectionStringSecretRef { get; init; }

    public string? Schema { get; init; }
    public bool? CreateSchema { get; init; }
    public string? LeaseTtl { get; init; }
    public string? RequestTimeout { get; init; }
}
