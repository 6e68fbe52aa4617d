using TusCluster.Coordination.Contract;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.S3.Tests;

/// <summary>Each test gets a key prefix of its own, hence its own documents, expiry index and outbox.</summary>
public sealed class S3UploadLeaseContractTests(CephServer server) : UploadLeaseContract
{
    // Four S3 requests a round, polled hand-over: 40 rounds instead of 100 on a loaded CI machine.
    protected override int ConcurrentRoundsPerWorker => 2;

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

/// <summary>An event lives in its upload's document: the planted one is an element of a document's events that is no entry.</summary>
[Collection(UnreadableOutboxCollection.Name)]
public sealed class S3UnreadableOutboxContractTests(CephServer server) : UnreadableOutboxContract
{
    private readonly Dictionary<string, (string UploadId, string Text)> _planted = new(StringComparer.Ordinal);

    protected override IUploadCoordination CreateReplica(string isolation) => Fixtures.Create(server.Ceph, $"c-{isolation}/");

    protected override async Task<string> PlantUnreadableEntryAsync(IUploadCoordination replica, string entryId, DateTimeOffset dueAt)
    {
        var coordination = (S3UploadCoordination)replica;
        var uploadId = UploadId.New();
        var text = $$"""{"Id":"{{entryId}}","UploadId":"{{uploadId}}","DueAt":"{{dueAt:O}}","Payload":7}""";
        await coordination.Objects.PutTextAsync(coordination.Keys.Upload(uploadId), $$"""{"fence":1,"events":[{{text}}]}""", Ct);
        await coordination.Objects.PutMarkerAsync(coordination.Keys.OutboxMarker(uploadId, entryId), Ct);
        _planted[entryId] = (uploadId, text);
        return text;
    }

    protected override async Task<string?> ReadSetAsideAsync(IUploadCoordination replica, string entryId)
    {
        var coordination = (S3UploadCoordination)replica;
        var (uploadId, text) = _planted[entryId];
        return await RawObjects.ReadTextAsync(coordination, coordination.Keys.UnreadableOutbox(uploadId, text));
    }
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
