using TusCluster.Coordination.Contract;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Etcd.Tests;

public sealed class EtcdUploadLeaseContractTests(SharedEtcd etcd) : UploadLeaseContract
{
    protected override IUploadCoordination CreateReplica(string isolation) =>
        Coordinations.Create($"/c-{isolation}/", [etcd.Endpoint]);
}

public sealed class EtcdExpiryIndexContractTests(SharedEtcd etcd) : ExpiryIndexContract
{
    protected override IUploadCoordination CreateReplica(string isolation) =>
        Coordinations.Create($"/c-{isolation}/", [etcd.Endpoint]);
}

/// <summary>etcd renews one lease per replica, so a replica stops renewing all its locks at once.</summary>
public sealed class EtcdLeaseExpiryContractTests(SharedEtcd etcd) : LeaseExpiryContract
{
    protected override TimeSpan ShortTtl => TimeSpan.FromSeconds(2);

    protected override IUploadCoordination CreateReplica(string isolation, TimeSpan leaseTtl) =>
        Coordinations.Create($"/c-{isolation}/", [etcd.Endpoint], leaseTtl: leaseTtl);

    protected override void StopRenewing(IUploadCoordination replica, IUploadLease lease) => ((EtcdUploadCoordination)replica).SuspendKeepAlive();
}

public sealed class EtcdOutageContractTests : OutageContract<EtcdServer>
{
    protected override TimeSpan FailFastBound => TimeSpan.FromSeconds(3);

    protected override Task<EtcdServer> StartServerAsync() => EtcdServer.StartAsync();

    protected override Task KillAsync(EtcdServer server) => server.KillAsync();

    protected override Task RestartAsync(EtcdServer server) => server.StartProcessAsync();

    protected override IUploadCoordination CreateReplica(EtcdServer server, string isolation) =>
        Coordinations.Create($"/c-{isolation}/", [server.Endpoint], leaseTtl: TimeSpan.FromSeconds(2), requestTimeout: TimeSpan.FromSeconds(2));
}

public sealed class EtcdOutboxContractTests(SharedEtcd etcd) : OutboxContract
{
    protected override IUploadCoordination CreateReplica(string isolation) =>
        Coordinations.Create($"/c-{isolation}/", [etcd.Endpoint]);
}
