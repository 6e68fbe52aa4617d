using Amazon.DynamoDBv2.Model;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.DynamoDb.Tests;

public sealed class DynamoDbTableTests(DynaliteServerFixture dynalite) : IClassFixture<DynaliteServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_table_makes_the_table_and_its_expiry_index_and_waits_until_active()
    {
        var table = $"new-{Guid.NewGuid():N}";
        await using var coordination = Fixtures.Create(dynalite.Server, table, o => o.RequestTimeout = TimeSpan.FromSeconds(5));

        await coordination.EnsureTableAsync(Ct);

        Assert.True(await coordination.IsHealthyAsync(Ct));

        var description = (await coordination.Client.DescribeTableAsync(new DescribeTableRequest { TableName = table }, Ct)).Table;
        Assert.Equal("ACTIVE", description.TableStatus.Value);
        Assert.Equal([("id", "HASH")], description.KeySchema.Select(k => (k.AttributeName, k.KeyType.Value)));
        var index = Assert.Single(description.GlobalSecondaryIndexes);
        Assert.Equal("expiry", index.IndexName);
        Assert.Equal("ACTIVE", index.IndexStatus.Value);
        Assert.Equal([("expShard", "HASH"), ("expKey", "RANGE")], index.KeySchema.Select(k => (k.AttributeName, k.KeyType.Value)));
        Assert.Equal("KEYS_ONLY", index.Projection.ProjectionType.Value);
    }

    [Fact]
    public async Task Replicas_creating_the_same_table_at_once_all_succeed()
    {
        var table = $"race-{Guid.NewGuid():N}";
        var replicas = Enumerable.Range(0, 3).Select(_ => Fixtures.Create(dynalite.Server, table)).ToArray();
        try
        {
            await Task.WhenAll(replicas.Select(r => r.EnsureTableAsync(Ct)));

            var id = UploadId.New();
            await using var lease = await replicas[0].AcquireAsync(id, Fixtures.Generous, Ct);
            await lease.CommitAndReleaseAsync(Fixtures.NewRecord(id, offset: 2), Ct);
            Assert.Equal(2, (await replicas[2].GetAsync(id, Ct))?.Offset);
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Without_create_table_a_missing_table_is_unavailable_and_named()
    {
        await using var coordination = Fixtures.Create(dynalite.Server, $"missing-{Guid.NewGuid():N}", o => o.CreateTable = false);

        var error = await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.GetAsync(UploadId.New(), Ct));

        Assert.Contains("CreateTable", error.Message, StringComparison.Ordinal);
        Assert.False(await coordination.IsHealthyAsync(Ct));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.AcquireAsync(UploadId.New(), Fixtures.Generous, Ct));
    }

    [Fact]
    public async Task A_table_created_as_the_readme_says_is_used_as_it_is()
    {
        var table = $"cli-{Guid.NewGuid():N}";
        await using (var creator = Fixtures.Create(dynalite.Server, table))
        {
            // The README's AWS CLI command sends this same request.
            await creator.Client.CreateTableAsync(Table.UploadTableSetup.Definition(table), Ct);
        }

        await using var coordination = Fixtures.Create(dynalite.Server, table, o => o.CreateTable = false);
        await Eventually.HoldsAsync(() => coordination.IsHealthyAsync(Ct), "the coordination to report healthy");
        var id = UploadId.New();
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        await lease.CommitAsync(Fixtures.NewRecord(id, expiresAt: DateTimeOffset.UnixEpoch), Ct);
        Assert.Single(await coordination.ReadExpiredAsync(DateTimeOffset.UnixEpoch, 10, Ct));
    }
}
