using TusCluster.Coordination.Contract;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.S3.Tests;

/// <summary>Each test gets a key prefix of its own, hence its own documents, expiry index and outbox.</summary>
public sealed class S3UploadLeaseContractTests(CephServer server) : UploadLeaseContract
{
    protected override IUploadCoordination CreateReplica(string isolation) => Fixtures.Create(server.Ceph, $"c-{isolation}/");
}

public sealed class S3ExpiryIndexContractTests(CephServer server) : ExpiryIndexContract
{
    protected override IUploadCoordination CreateReplica(string isolation) => Fixtures.Create(server.Ceph, $"c-{isolation}/");
}

public sealed class S3LeaseExpiryContractTests(CephServer server) : LeaseExpiryContract
{
    protected override TimeSpan ShortTtl => TimeSpan.FromSeconds(1);

    protected override IUploadCoordination CreateReplica(string isolation, TimeSpan leaseTtl) =>
        Fixtures.Create(server.Ceph, $"c-{isolation}/", o => o.LeaseTtl = leaseTtl);

    protected override void StopRenewing(IUploadCoordination replica, IUploadLease lease) => ((S3UploadLease)lease).PauseKeepAlive();
}

public sealed class S3OutboxContractTests(CephServer server) : OutboxContract
{
    protected override IUploadCoordination CreateReplica(string isolation) => Fixtures.Create(server.Ceph, $"c-{isolation}/");
}

/// <summary>Each test starts a Ceph of its own and kills only its gateway: the data stays in the OSD, as after an RGW restart.</summary>
public sealed class S3OutageContractTests : OutageContract<CephRgw>
{
    protected override async Task<CephRgw> StartServerAsync()
    {
        var ceph = new CephRgw();
        await ceph.InitializeAsync();
        return ceph;
    }

    protected override Task KillAsync(CephRgw server) => server.KillGatewayAsync();

    protected override Task RestartAsync(CephRgw server) => server.StartGatewayAsync();

    protected override IUploadCoordination CreateReplica(CephRgw server, string isolation) =>
        Fixtures.Create(server, $"c-{isolation}/", o => o.LeaseTtl = TimeSpan.FromSeconds(1));
}
