using System.Text;
using TusCluster.Coordination.Etcd.Gateway;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Etcd.Tests;

/// <summary>The JSON-gateway client on its own, against the shared etcd.</summary>
public sealed class EtcdClientTests(SharedEtcd etcd) : IDisposable
{
    private readonly EtcdClient _client = new([new Uri(etcd.Endpoint)], null, null, TimeSpan.FromSeconds(5));
    private readonly string _prefix = Coordinations.NewPrefix();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _client.Dispose();

    private byte[] Key(string name) => Encoding.UTF8.GetBytes(_prefix + name);

    [Fact]
    public async Task Put_range_and_delete_round_trip_binary_keys_and_values()
    {
        var value = new byte[] { 0, 1, 2, 255, (byte)'"', (byte)'\n' };
        var put = await _client.PutAsync(new EtcdPutRequest { Key = Key("a"), Value = value }, Ct);

        var range = await _client.RangeAsync(new EtcdRangeRequest { Key = Key("a") }, Ct);

        var kv = Assert.Single(range.Kvs!);
        Assert.Equal(value, kv.Value);
        Assert.Equal(put.Header!.Revision, kv.CreateRevision);
        Assert.Equal(1, (await _client.DeleteAsync(new EtcdDeleteRangeRequest { Key = Key("a") }, Ct)).Deleted);
        Assert.Null((await _client.RangeAsync(new EtcdRangeRequest { Key = Key("a") }, Ct)).Kvs);
    }

    [Fact]
    public async Task Transactions_compare_on_create_revision_mod_revision_and_value()
    {
        var key = Key("t");
        var created = (await _client.PutAsync(new EtcdPutRequest { Key = key, Value = "one"u8.ToArray() }, Ct)).Header!.Revision;
        var modified = (await _client.PutAsync(new EtcdPutRequest { Key = key, Value = "two"u8.ToArray() }, Ct)).Header!.Revision;

        async Task<EtcdTxnResponse> Txn(EtcdCompare compare) => await _client.TxnAsync(
            new EtcdTxnRequest
            {
                Compare = [compare],
                Success = [EtcdRequestOp.Range(new EtcdRangeRequest { Key = key })],
                Failure = [EtcdRequestOp.Delete(new EtcdDeleteRangeRequest { Key = Key("never") })],
            },
            Ct);

        Assert.True((await Txn(EtcdCompare.CreateRevisionEquals(key, created))).Succeeded);
        Assert.False((await Txn(EtcdCompare.CreateRevisionEquals(key, modified))).Succeeded);
        Assert.True((await Txn(EtcdCompare.ModRevisionEquals(key, modified))).Succeeded);
        Assert.False((await Txn(EtcdCompare.ModRevisionEquals(key, created))).Succeeded);
        var byValue = await Txn(EtcdCompare.ValueEquals(key, "two"u8.ToArray()));
        Assert.True(byValue.Succeeded);
        Assert.Equal("two"u8.ToArray(), byValue.Responses![0].ResponseRange!.Kvs![0].Value);
        var failed = await Txn(EtcdCompare.ValueEquals(key, "one"u8.ToArray()));
        Assert.False(failed.Succeeded);
        Assert.NotNull(failed.Responses![0].ResponseDeleteRange);
    }

    [Fact]
    public async Task Leases_are_granted_renewed_and_revoked()
    {
        var grant = await _client.LeaseGrantAsync(5, Ct);
        Assert.True(grant.Id != 0);
        Assert.Equal(5, grant.Ttl);

        Assert.InRange((await _client.LeaseKeepAliveAsync(grant.Id, Ct)).Ttl, 4, 5);
        await _client.LeaseRevokeAsync(grant.Id, Ct);

        Assert.Equal(0, (await _client.LeaseKeepAliveAsync(grant.Id, Ct)).Ttl);
        var error = await Assert.ThrowsAsync<CoordinationUnavailableException>(() => _client.LeaseRevokeAsync(grant.Id, Ct));
        Assert.True(EtcdErrorException.IsLeaseNotFoundIn(error));
        var put = await Assert.ThrowsAsync<CoordinationUnavailableException>(() => _client.PutAsync(new EtcdPutRequest { Key = Key("l"), Value = [1], Lease = grant.Id }, Ct));
        Assert.True(EtcdErrorException.IsLeaseNotFoundIn(put));
    }

    [Fact]
    public async Task A_watch_delivers_history_from_its_start_revision_then_live_events_by_prefix()
    {
        var first = (await _client.PutAsync(new EtcdPutRequest { Key = Key("w/1"), Value = [1] }, Ct)).Header!.Revision;
        await _client.PutAsync(new EtcdPutRequest { Key = Key("outside"), Value = [9] }, Ct);
        var prefix = Key("w/");
        await using var watch = _client.Watch(prefix, EtcdUploadCoordination.RangeEndOf(prefix), first);
        await watch.Created.WaitAsync(TimeSpan.FromSeconds(5), Ct);

        await _client.PutAsync(new EtcdPutRequest { Key = Key("w/2"), Value = [2] }, Ct);
        await _client.DeleteAsync(new EtcdDeleteRangeRequest { Key = Key("w/1") }, Ct);

        var events = new List<EtcdEvent>();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        wait.CancelAfter(TimeSpan.FromSeconds(5));
        while (events.Count < 3)
        {
            events.Add(await watch.Events.ReadAsync(wait.Token));
        }

        Assert.Equal(
            [(_prefix + "w/1", false), (_prefix + "w/2", false), (_prefix + "w/1", true)],
            events.Select(e => (Encoding.UTF8.GetString(e.Kv!.Key), e.IsDelete)));
        Assert.True(watch.NextRevision > first);
    }

    [Fact]
    public async Task A_refused_request_is_coordination_unavailable_with_the_etcd_error_inside()
    {
        var error = await Assert.ThrowsAsync<CoordinationUnavailableException>(() => _client.TxnAsync(
            new EtcdTxnRequest
            {
                Success =
                [
                    EtcdRequestOp.Put(new EtcdPutRequest { Key = Key("dup"), Value = [1] }),
                    EtcdRequestOp.Delete(new EtcdDeleteRangeRequest { Key = Key("dup") }),
                ],
            },
            Ct));

        var inner = Assert.IsType<EtcdErrorException>(error.InnerException);
        Assert.InRange(inner.HttpStatus, 400, 499);
        Assert.Contains("duplicate key", inner.Message, StringComparison.Ordinal);
    }
}
