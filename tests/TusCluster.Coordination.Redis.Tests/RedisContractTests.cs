using StackExchange.Redis;
using TusCluster.Coordination.Contract;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Redis.Tests;

public sealed class RedisUploadLeaseContractTests(RedisServerFixture redis) : UploadLeaseContract, IClassFixture<RedisServerFixture>
{
    protected override IUploadCoordination CreateReplica(string isolation) =>
        Fixtures.Create(redis.Server, o => o.KeyPrefix = $"c-{isolation}:");

    protected override Task ListeningForHandOverAsync(IUploadCoordination replica) =>
        ((RedisUploadCoordination)replica).Subscribed.WaitAsync(Fixtures.Generous, TestContext.Current.CancellationToken);
}

public sealed class RedisExpiryIndexContractTests(RedisServerFixture redis) : ExpiryIndexContract, IClassFixture<RedisServerFixture>
{
    protected override IUploadCoordination CreateReplica(string isolation) =>
        Fixtures.Create(redis.Server, o => o.KeyPrefix = $"c-{isolation}:");
}

public sealed class RedisLeaseExpiryContractTests(RedisServerFixture redis) : LeaseExpiryContract, IClassFixture<RedisServerFixture>
{
    protected override TimeSpan ShortTtl => TimeSpan.FromSeconds(2);

    protected override IUploadCoordination CreateReplica(string isolation, TimeSpan leaseTtl) =>
        Fixtures.Create(redis.Server, o => (o.KeyPrefix, o.LeaseTtl) = ($"c-{isolation}:", leaseTtl));

    protected override void StopRenewing(IUploadCoordination replica, IUploadLease lease) => ((RedisUploadLease)lease).PauseKeepAlive();
}

public sealed class RedisOutageContractTests : OutageContract<RedisServer>
{
    protected override Task<RedisServer> StartServerAsync() => RedisServer.StartAsync();

    protected override Task KillAsync(RedisServer server) => server.KillAsync();

    protected override Task RestartAsync(RedisServer server) => server.StartAsync();

    protected override IUploadCoordination CreateReplica(RedisServer server, string isolation) =>
        Fixtures.Create(server, o => (o.KeyPrefix, o.LeaseTtl) = ($"c-{isolation}:", TimeSpan.FromSeconds(1)));
}

public sealed class RedisOutboxContractTests(RedisServerFixture redis) : OutboxContract, IClassFixture<RedisServerFixture>
{
    protected override IUploadCoordination CreateReplica(string isolation) =>
        Fixtures.Create(redis.Server, o => o.KeyPrefix = $"c-{isolation}:");
}

[Collection(UnreadableOutboxCollection.Name)]
public sealed class RedisUnreadableOutboxContractTests(RedisServerFixture redis) : UnreadableOutboxContract, IClassFixture<RedisServerFixture>
{
    protected override IUploadCoordination CreateReplica(string isolation) =>
        Fixtures.Create(redis.Server, o => o.KeyPrefix = $"c-{isolation}:");

    protected override async Task<string> PlantUnreadableEntryAsync(IUploadCoordination replica, string entryId, DateTimeOffset dueAt)
    {
        var (coordination, text) = ((RedisUploadCoordination)replica, $$"""{"Id":"{{entryId}}","DueAt":"not a time""");
        await coordination.Database.StringSetAsync(coordination.Keys.OutboxEntry(entryId), text);
        await coordination.Database.SortedSetAddAsync(coordination.Keys.OutboxDue, entryId, dueAt.ToUnixTimeMilliseconds());
        return text;
    }

    protected override async Task<string?> ReadSetAsideAsync(IUploadCoordination replica, string entryId)
    {
        var coordination = (RedisUploadCoordination)replica;
        return (string?)await coordination.Database.StringGetAsync((RedisKey)coordination.Keys.UnreadableOutboxEntry(entryId));
    }
}
