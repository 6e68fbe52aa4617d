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
            // Generous for a loaded 2-core CI machine (a statement once took over 2 s there); a server that is
            // down still fails at once (connection refused).
            RequestTimeout = TimeSpan.FromSeconds(4),
        };
        configure?.Invoke(options);

        // The service refuses a request timeout as long as the lease (a statement must not outlive it); tests
        // with a short lease keep the 2 s they always had, which their own lease length then bounds.
        if (options.RequestTimeout >= options.LeaseTtl)
        {
            options.RequestTimeout = TimeSpan.FromSeconds(Math.Min(2, options.LeaseTtl.TotalSeconds));
        }

        return options;
    }

    public static PostgresUploadCoordination Create(PostgresServer server, string schema, Action<PostgresCoordinationOptions>? configure = null) =>
        new(Microsoft.Extensions.Options.Options.Create(Options(server, schema, configure)), NullLogger<PostgresUploadCoordination>.Instance);

    /// <summary>A schema name of its own for one test.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..16];
}
