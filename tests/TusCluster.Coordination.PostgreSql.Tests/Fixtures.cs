using Microsoft.Extensions.Logging.Abstractions;

namespace TusCluster.Coordination.PostgreSql.Tests;

/// <summary>Builds coordination instances (each stands in for one replica), each test in a schema of its own.</summary>
internal static class Fixtures
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    public static PostgresCoordinationOptions Options(PostgresServer server, string schema, Action<PostgresCoordinationOptions>? configure = null)
    {
        var options = new PostgresCoordinationOptions
        {
            ConnectionString = server.ConnectionString,
            Schema = schema,
            CreateSchema = true,
            LeaseTtl = TimeSpan.FromSeconds(5),
            // Generous for a loaded CI machine; a server that is down still fails at once (connection refused).
            RequestTimeout = TimeSpan.FromSeconds(2),
        };
        configure?.Invoke(options);
        return options;
    }

    public static PostgresUploadCoordination Create(PostgresServer server, string schema, Action<PostgresCoordinationOptions>? configure = null) =>
        new(Microsoft.Extensions.Options.Options.Create(Options(server, schema, configure)), NullLogger<PostgresUploadCoordination>.Instance);

    /// <summary>A schema name of its own for one test.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..16];
}
