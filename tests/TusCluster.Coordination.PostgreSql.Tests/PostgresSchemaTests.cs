using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.PostgreSql.Tests;

/// <summary>The schema at start: created when configured to, else a refusal that prints the SQL to run.</summary>
public sealed class PostgresSchemaTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ServiceProvider Build(string schema, bool createSchema) =>
        new ServiceCollection().AddLogging().AddPostgreSqlCoordination(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tus:Coordination:PostgreSql:ConnectionString"] = postgres.Server.ConnectionString,
            ["Tus:Coordination:PostgreSql:Schema"] = schema,
            ["Tus:Coordination:PostgreSql:CreateSchema"] = createSchema ? "true" : "false",
        }).Build()).BuildServiceProvider();

    private static async Task StartAsync(ServiceProvider provider)
    {
        foreach (var service in provider.GetServices<IHostedService>())
        {
            await service.StartAsync(Ct);
        }
    }

    [Fact]
    public async Task CreateSchema_creates_the_tables_at_start_and_the_coordination_works()
    {
        var schema = Fixtures.NewSchema();
        await using var provider = Build(schema, createSchema: true);

        await StartAsync(provider);

        Assert.True(await provider.GetRequiredService<PostgresUploadCoordination>().Schema.ExistsAsync(Ct));
        var coordination = provider.GetRequiredService<IUploadCoordination>();
        var id = UploadId.New();
        await using (var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            await lease.CommitAsync(new UploadRecord { Id = id, Length = 10, Offset = 3 }, Ct);
        }

        Assert.Equal(3, (await coordination.GetAsync(id, Ct))?.Offset);
        Assert.Same(coordination, provider.GetRequiredService<IEventOutbox>());
    }

    [Fact]
    public async Task A_missing_schema_stops_the_start_with_the_sql_to_run_and_that_sql_makes_it_start()
    {
        var schema = Fixtures.NewSchema();
        await using var provider = Build(schema, createSchema: false);

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(provider));

        var message = Assert.Single(refused.Failures);
        Assert.Contains("CreateSchema=true", message, StringComparison.Ordinal);
        Assert.Contains($"CREATE TABLE IF NOT EXISTS \"{schema}\".uploads", message, StringComparison.Ordinal);
        Assert.DoesNotContain("\"tus\"", message, StringComparison.Ordinal);
        var unavailable = await Assert.ThrowsAsync<CoordinationUnavailableException>(
            async () => await provider.GetRequiredService<IUploadCoordination>().GetAsync(UploadId.New(), Ct));
        Assert.Contains($"CREATE SCHEMA IF NOT EXISTS \"{schema}\"", unavailable.Message, StringComparison.Ordinal);

        // An operator runs the printed SQL by hand: the next start goes through.
        await using (var connection = new NpgsqlConnection(postgres.Server.ConnectionString))
        {
            await connection.OpenAsync(Ct);
            await using var command = new NpgsqlCommand(PostgresSchema.Script(schema), connection);
            await command.ExecuteNonQueryAsync(Ct);
        }

        await StartAsync(provider);
        Assert.Null(await provider.GetRequiredService<IUploadCoordination>().GetAsync(UploadId.New(), Ct));
    }

    [Fact]
    public void The_shipped_sql_file_is_what_the_service_runs()
    {
        var shipped = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "services", "TusCluster.Coordination.PostgreSql", "Schema", "schema.sql"));

        Assert.Equal(shipped, PostgresSchema.File);
        Assert.Equal(shipped, PostgresSchema.Script(PostgresCoordinationOptions.DefaultSchema));
        Assert.Contains("CREATE INDEX IF NOT EXISTS uploads_expires_at ON \"other\".uploads (expires_at)", PostgresSchema.Script("other"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replicas_creating_one_schema_at_once_all_succeed()
    {
        var schema = Fixtures.NewSchema();
        var replicas = Enumerable.Range(0, 4).Select(_ => Fixtures.Create(postgres.Server, schema)).ToArray();
        try
        {
            await Task.WhenAll(replicas.Select(r => r.ReadExpiredAsync(DateTimeOffset.MaxValue, 10, Ct).AsTask()));
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }
}
