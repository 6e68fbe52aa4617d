using TusCluster.Coordination.Contract;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.PostgreSql.Tests;

public sealed class PostgresUploadLeaseContractTests(PostgresServerFixture postgres) : UploadLeaseContract, IClassFixture<PostgresServerFixture>
{
    protected override IUploadCoordination CreateReplica(string isolation) => Fixtures.Create(postgres.Server, $"c_{isolation}");

    protected override Task ListeningForHandOverAsync(IUploadCoordination replica) =>
        ((PostgresUploadCoordination)replica).Listening.WaitAsync(Fixtures.Generous, TestContext.Current.CancellationToken);
}

public sealed class PostgresExpiryIndexContractTests(PostgresServerFixture postgres) : ExpiryIndexContract, IClassFixture<PostgresServerFixture>
{
    protected override IUploadCoordination CreateReplica(string isolation) => Fixtures.Create(postgres.Server, $"c_{isolation}");
}

public sealed class PostgresLeaseExpiryContractTests(PostgresServerFixture postgres) : LeaseExpiryContract, IClassFixture<PostgresServerFixture>
{
    protected override TimeSpan ShortTtl => TimeSpan.FromSeconds(2);

    protected override IUploadCoordination CreateReplica(string isolation, TimeSpan leaseTtl) =>
        Fixtures.Create(postgres.Server, $"c_{isolation}", o => o.LeaseTtl = leaseTtl);

    protected override void StopRenewing(IUploadCoordination replica, IUploadLease lease) => ((PostgresUploadLease)lease).PauseKeepAlive();
}

public sealed class PostgresOutageContractTests : OutageContract<PostgresServer>
{
    protected override Task<PostgresServer> StartServerAsync() => PostgresServer.StartAsync();

    protected override Task KillAsync(PostgresServer server) => server.KillAsync();

    protected override Task RestartAsync(PostgresServer server) => server.StartProcessAsync();

    protected override IUploadCoordination CreateReplica(PostgresServer server, string isolation) =>
        Fixtures.Create(server, $"c_{isolation}", o => (o.LeaseTtl, o.RequestTimeout) = (TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
}

public sealed class PostgresOutboxContractTests(PostgresServerFixture postgres) : OutboxContract, IClassFixture<PostgresServerFixture>
{
    protected override IUploadCoordination CreateReplica(string isolation) => Fixtures.Create(postgres.Server, $"c_{isolation}");
}

/// <summary>The table's columns are typed: an unreadable row here is one the kit refuses (an upload id that is no id).</summary>
[Collection(UnreadableOutboxCollection.Name)]
public sealed class PostgresUnreadableOutboxContractTests(PostgresServerFixture postgres) : UnreadableOutboxContract, IClassFixture<PostgresServerFixture>
{
    protected override IUploadCoordination CreateReplica(string isolation) => Fixtures.Create(postgres.Server, $"c_{isolation}");

    protected override async Task<string> PlantUnreadableEntryAsync(IUploadCoordination replica, string entryId, DateTimeOffset dueAt)
    {
        var coordination = (PostgresUploadCoordination)replica;
        var text = $"not an upload id {entryId}";
        await coordination.Calls.ExecuteAsync(
            "a planted row",
            $"INSERT INTO {PostgresSchema.Quote(coordination.Options.Schema)}.outbox (id, upload_id, due_at, attempts, payload) VALUES ($1, $2, $3, 0, '{{}}')",
            [PostgresValues.Text(entryId), PostgresValues.Text(text), PostgresValues.Stored(dueAt)],
            Ct);
        return text;
    }

    protected override async Task<string?> ReadSetAsideAsync(IUploadCoordination replica, string entryId)
    {
        var coordination = (PostgresUploadCoordination)replica;
        return await coordination.Calls.RunAsync("a set-aside row", async (command, token) =>
        {
            command.CommandText = $"SELECT upload_id FROM {PostgresSchema.Quote(coordination.Options.Schema)}.outbox WHERE id = $1 AND due_at = 'infinity'";
            command.Parameters.Add(PostgresValues.Text(entryId));
            return await command.ExecuteScalarAsync(token) as string;
        }, Ct);
    }
}
