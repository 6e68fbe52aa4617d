using Google.Protobuf;
using TusCluster.Coordination.Etcd.Keys;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd.Tests;

public sealed class EtcdKeysTests
{
    private readonly EtcdKeys _keys = new("/tus/");

    [Fact]
    public void The_range_end_of_a_prefix_is_the_first_key_after_all_keys_under_it()
    {
        Assert.Equal("/tus/handover0", EtcdKeys.RangeEndOf(_keys.HandOverPrefix).ToStringUtf8());
        Assert.Equal(new byte[] { 1, 3 }, EtcdKeys.RangeEndOf(ByteString.CopyFrom(1, 2, 0xff)).ToByteArray());
        Assert.Equal(new byte[] { 0 }, EtcdKeys.RangeEndOf(ByteString.CopyFrom(0xff, 0xff)).ToByteArray());
    }

    [Fact]
    public void Expiry_keys_sort_by_time_round_up_to_the_millisecond_and_end_after_the_last_due_one()
    {
        var id = UploadId.New();
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

        Assert.Equal($"/tus/expiry/0001700000000000/{id}", _keys.Expiry(id, at).ToStringUtf8());
        Assert.Equal($"/tus/expiry/0001700000000001/{id}", _keys.Expiry(id, at.AddTicks(1)).ToStringUtf8());
        Assert.True(string.CompareOrdinal(_keys.Expiry(id, at).ToStringUtf8(), _keys.ExpiryEnd(at).ToStringUtf8()) < 0);
        Assert.True(string.CompareOrdinal(_keys.Expiry(id, at.AddTicks(1)).ToStringUtf8(), _keys.ExpiryEnd(at).ToStringUtf8()) > 0);
        Assert.True(string.CompareOrdinal(_keys.Expiry(id, at.AddDays(-1)).ToStringUtf8(), _keys.Expiry(id, at).ToStringUtf8()) < 0);
    }

    [Fact]
    public void Outbox_keys_sort_by_due_time_like_expiry_keys_and_refuse_ids_that_are_not_ids()
    {
        var id = UploadId.New();
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

        Assert.Equal($"/tus/outbox/0001700000000001/{id}", _keys.Outbox(id, at.AddTicks(1)).ToStringUtf8());
        Assert.True(string.CompareOrdinal(_keys.Outbox(id, at).ToStringUtf8(), _keys.OutboxEnd(at).ToStringUtf8()) < 0);
        Assert.True(string.CompareOrdinal(_keys.Outbox(id, at.AddTicks(1)).ToStringUtf8(), _keys.OutboxEnd(at).ToStringUtf8()) > 0);
        Assert.StartsWith(_keys.OutboxPrefix.ToStringUtf8(), _keys.OutboxEnd(DateTimeOffset.MaxValue).ToStringUtf8(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _keys.Outbox("../x", at));
    }

    [Fact]
    public void Only_keys_of_valid_upload_ids_under_the_prefix_are_read_back()
    {
        var id = UploadId.New();

        Assert.Equal(id, EtcdKeys.IdAfter(_keys.HandOver(id), _keys.HandOverPrefix));
        Assert.Null(EtcdKeys.IdAfter(ByteString.CopyFromUtf8("/tus/handover/not-an-id"), _keys.HandOverPrefix));
        Assert.Null(EtcdKeys.IdAfter(_keys.Lock(id), _keys.HandOverPrefix));
        Assert.Throws<ArgumentException>(() => _keys.Lock("../x"));
    }
}
