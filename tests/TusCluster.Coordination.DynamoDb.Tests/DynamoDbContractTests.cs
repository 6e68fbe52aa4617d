using TusCluster.Coordination.Contract;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.DynamoDb.Tests;

/// <summary>Each test gets a table of its own (created on first use), hence its own expiry index.</summary>
public sealed class DynamoDbUploadLeaseContractTests(DynaliteServerFixture dynalite) : UploadLeaseContract, IClassFixture<DynaliteServerFixture>
{
    protected override IUploadCoordination CreateReplica(string isolation) => Fixtures.Create(dynalite.Server, $"c-{isolation}");
}

public sealed class DynamoDbExpiryIndexContractTests(DynaliteServerFixture dynalite) : ExpiryIndexContract, IClassFixture<DynaliteServerFixture>
{
    protected override IUploadCoordination CreateReplica(string isolation) => Fixtures.Create(dynalite.Server, $"c-{isolation}");
}

public sealed class DynamoDbLeaseExpiryContractTests(DynaliteServerFixture dynalite) : LeaseExpiryContract, IClassFixture<DynaliteServerFixture>
{
    protected override TimeSpan ShortTtl => TimeSpan.FromSeconds(1);

    protected override IUploadCoordination CreateReplica(string isolation, TimeSpan leaseTtl) =>
        Fixtures.Create(dynalite.Server, $"c-{isolation}", o => o.LeaseTtl = leaseTtl);

    protected override void StopRenewing(IUploadCoordination replica, IUploadLease lease) => ((DynamoDbUploadLease)lease).PauseKeepAlive();
}

/// <summary>On moto: dynalite 4.0.0 answers TransactWriteItems with UnknownOperationException.</summary>
public sealed class DynamoDbOutboxContractTests(MotoServerFixture moto) : OutboxContract, IClassFixture<MotoServerFixture>
{
    protected override IUploadCoordination CreateReplica(string isolation) => Fixtures.Create(moto.Server, $"c-{isolation}");
}

public sealed class DynamoDbOutageContractTests : OutageContract<DynaliteServer>
{
    protected override Task<DynaliteServer> StartServerAsync() => DynaliteServer.LaunchAsync();

    protected override Task KillAsync(DynaliteServer server) => server.KillAsync();

    protected override Task RestartAsync(DynaliteServer server) => server.StartAsync();

    // dynalite comes back empty: CreateTable makes the coordination create the table again by itself.
    protected override IUploadCoordination CreateReplica(DynaliteServer server, string isolation) =>
        Fixtures.Create(server, $"c-{isolation}", o => o.LeaseTtl = TimeSpan.FromSeconds(1));
}
