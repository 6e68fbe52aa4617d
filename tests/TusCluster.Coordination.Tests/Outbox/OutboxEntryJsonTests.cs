using System.Text;
using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Tests.Outbox;

/// <summary>What a reader takes for an entry and what it sets aside: every backend decides with this.</summary>
public sealed class OutboxEntryJsonTests
{
    private const string Id = "0123456789abcdef0123456789abcdef";

    private static readonly OutboxEntry Valid = new()
    {
        Id = Id,
        UploadId = "fedcba9876543210fedcba9876543210",
        DueAt = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero),
        Attempts = 2,
        Payload = "{}",
    };

    [Fact]
    public void A_stored_entry_reads_back_as_it_was()
    {
        Assert.Equal(Valid, OutboxEntryJson.TryRead(OutboxEntryJson.Serialize(Valid), out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"Id\":\"" + Id + "\"}")]
    [InlineData("{\"Id\":\"" + Id + "\",\"UploadId\":\"../x\",\"DueAt\":\"2025-06-01T12:00:00Z\",\"Payload\":\"{}\"}")]
    [InlineData("{\"Id\":\"" + Id + "\",\"UploadId\":\"fedcba9876543210fedcba9876543210\",\"DueAt\":\"2025-06-01T12:00:00Z\",\"Attempts\":-1,\"Payload\":\"{}\"}")]
    [InlineData("{\"Id\":\"" + Id + "\",\"UploadId\":\"fedcba9876543210fedcba9876543210\",\"DueAt\":\"2025-06-01T12:00:00Z\",\"Payload\":null}")]
    [InlineData("{\"Id\":\"" + Id + "\",\"UploadId\":\"fedcba9876543210fedcba9876543210\",\"DueAt\":\"not a time\",\"Payload\":\"{}\"}")]
    public void Bytes_that_are_not_a_valid_entry_are_no_entry_and_say_why(string stored)
    {
        Assert.Null(OutboxEntryJson.TryRead(Encoding.UTF8.GetBytes(stored), out var problem));
        Assert.False(string.IsNullOrWhiteSpace(problem));
    }

    [Fact]
    public void A_payload_over_the_limit_is_no_entry()
    {
        var stored = OutboxEntryJson.Serialize(Valid with { Payload = new string('x', OutboxEntry.MaxPayloadBytes + 1) });

        Assert.Null(OutboxEntryJson.TryRead(stored, out _));
    }
}
