using Amazon.DynamoDBv2.Model;
using TusCluster.Coordination.Contract;
using TusCluster.Coordination.DynamoDb.Table;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

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

/// <summary>On moto, like the outbox contract. An unreadable item here is one whose upload attribute is no upload id.</summary>
[Collection(UnreadableOutboxCollection.Name)]
public sealed class DynamoDbUnreadableOutboxContractTests(MotoServerFixture moto) : UnreadableOutboxContract, IClassFixture<MotoServerFixture>
{
    protected override IUploadCoordination CreateReplica(string isolation) => Fixtures.Create(moto.Server, $"c-{isolation}");

    protected override async Task<string> PlantUnreadableEntryAsync(IUploadCoordination replica, string entryId, DateTimeOffset dueAt)
    {
        var coordination = (DynamoDbUploadCoordination)replica;
        var text = $"not an upload id {entryId}";
        var item = OutboxItems.Item(new OutboxEntry { Id = entryId, UploadId = UploadId.New(), DueAt = dueAt, Payload = "{}" });
        item[OutboxItems.Upload] = new AttributeValue { S = text };
        await coordination.Client.PutItemAsync(new PutItemRequest { TableName = coordination.TableName, Item = item }, Ct);
        return text;
    }

    protected override async Task<string?> ReadSetAsideAsync(IUploadCoordination replica, string entryId)
    {
        var item = await RawItems.GetAsync((DynamoDbUploadCoordination)replica, "out#" + entryId);
        return item.ContainsKey(OutboxItems.Unreadable) && !item.ContainsKey(UploadItem.ExpiryShard) && !item.ContainsKey(UploadItem.ExpiryKey)
            ? item[OutboxItems.Upload].S
            : null;
    }
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
