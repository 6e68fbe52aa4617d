namespace TusCluster.Coordination.PostgreSql.Tests;

public sealed class PostgresCoordinationOptionsValidatorTests
{
    private static string[] Problems(Action<PostgresCoordinationOptions> configure)
    {
        var options = new PostgresCoordinationOptions { ConnectionString = "Host=db;Username=tus;Password=secret" };
        configure(options);
        var result = new PostgresCoordinationOptionsValidator().Validate(null, options);
        return result.Succeeded ? [] : [.. result.Failures!];
    }

    [Fact]
    public void Defaults_with_a_connection_string_are_valid()
    {
        var options = new PostgresCoordinationOptions();

        Assert.Equal("tus", options.Schema);
        Assert.False(options.CreateSchema);
        Assert.Equal(TimeSpan.FromSeconds(5), options.LeaseTtl);
        Assert.Equal(TimeSpan.FromSeconds(2), options.RequestTimeout);
        Assert.Empty(Problems(_ => { }));
    }

    [Theory]
    [InlineData(null, "ConnectionString is required")]
    [InlineData("", "ConnectionString is required")]
    [InlineData("Username=tus", "with a Host")]
    [InlineData("Host=db;Bogus Keyword=1;Password=secret", "not an Npgsql connection string")]
    public void A_missing_or_malformed_connection_string_is_named_without_quoting_it(string? connectionString, string expected)
    {
        var problem = Assert.Single(Problems(o => o.ConnectionString = connectionString));

        Assert.Contains("Tus:Coordination:PostgreSql:ConnectionString", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Tus")]
    [InlineData("a-b")]
    [InlineData("x\"; DROP TABLE y; --")]
    [InlineData("a2345678901234567890123456789012345678901")]
    public void Schema_names_that_are_not_plain_identifiers_are_refused(string schema)
    {
        Assert.Contains(Problems(o => o.Schema = schema), p => p.Contains("Tus:Coordination:PostgreSql:Schema", StringComparison.Ordinal));
    }

    [Fact]
    public void Lease_and_request_bounds_are_checked()
    {
        Assert.Contains(Problems(o => o.LeaseTtl = TimeSpan.FromMilliseconds(500)), p => p.Contains("LeaseTtl must be at least", StringComparison.Ordinal));
        Assert.Contains(Problems(o => o.RequestTimeout = TimeSpan.FromSeconds(5)), p => p.Contains("RequestTimeout must be positive and shorter", StringComparison.Ordinal));
        Assert.Contains(Problems(o => o.RequestTimeout = TimeSpan.Zero), p => p.Contains("RequestTimeout", StringComparison.Ordinal));
    }
}
