using Etcdserverpb;
using Google.Protobuf;
using TusCluster.Coordination.Contract;
using TusCluster.Coordination.Etcd.Keys;
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

[Collection(UnreadableOutboxCollection.Name)]
public sealed class EtcdUnreadableOutboxContractTests(SharedEtcd etcd) : UnreadableOutboxContract
{
    private EtcdKeys? _keys;

    protected override IUploadCoordination CreateReplica(string isolation)
    {
        _keys = new EtcdKeys($"/c-{isolation}/");
        return Coordinations.Create(_keys.Prefix, [etcd.Endpoint]);
    }

    protected override async Task<string> PlantUnreadableEntryAsync(IUploadCoordination replica, string entryId, DateTimeOffset dueAt)
    {
        var text = $$"""{"Id":"{{entryId}}","UploadId":"not an upload id","DueAt":"{{dueAt:O}}","Payload":"{}"}""";
        var key = _keys!.Outbox(entryId, dueAt);
        await ((EtcdUploadCoordination)replica).Client.PutAsync(new PutRequest { Key = key, Value = ByteString.CopyFromUtf8(text) }, Ct);
        return text;
    }

    protected override async Task<string?> ReadSetAsideAsync(IUploadCoordination replica, string entryId)
    {
        var prefix = _keys!.UnreadableOutboxPrefix;
        var found = await ((EtcdUploadCoordination)replica).Client.RangeAsync(new RangeRequest { Key = prefix, RangeEnd = EtcdKeys.RangeEndOf(prefix) }, Ct);
        return found.Kvs.SingleOrDefault(kv => kv.Key.ToStringUtf8().EndsWith(entryId, StringComparison.Ordinal))?.Value.ToStringUtf8();
    }
}
