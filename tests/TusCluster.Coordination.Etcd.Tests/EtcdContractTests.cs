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
