using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Tests.Delivery;

public sealed class EventDeliveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_delivered_event_reaches_every_sink_that_wants_it_and_leaves_the_outbox()
    {
        var (http, amqp, other) = (new ScriptedSink("http", true, UploadEventType.PostFinish), new ScriptedSink("amqp", false, UploadEventType.PostFinish), new ScriptedSink("file", true, UploadEventType.PostCreate));
        await using var harness = new DeliveryHarness([http, amqp, other]);
        var entry = await harness.CommitEventAsync(UploadEventType.PostFinish);

        Assert.True(await harness.Delivery.DeliverAsync(entry, postponeOnFailure: true, Ct));

        Assert.Equal(entry.Id, Assert.Single(http.Received).Id);
        Assert.Equal(entry.Id, Assert.Single(amqp.Received).Id);
        Assert.Empty(other.Received);
        Assert.Empty(await harness.StoredAsync());
    }

    [Fact]
    public async Task A_failed_immediate_delivery_leaves_the_entry_where_the_commit_put_it()
    {
        var sink = new ScriptedSink("http", true, UploadEventType.PostFinish) { Down = true };
        await using var harness = new DeliveryHarness([sink]);
        var entry = await harness.CommitEventAsync(UploadEventType.PostFinish);

        Assert.False(await harness.Delivery.DeliverAsync(entry, postponeOnFailure: false, Ct));

        Assert.Equal([entry], await harness.StoredAsync());
    }

    [Fact]
    public async Task A_failed_redelivery_is_postponed_with_a_doubling_pause_up_to_the_maximum()
    {
        var sink = new ScriptedSink("http", true, UploadEventType.PostFinish) { Down = true };
        await using var harness = new DeliveryHarness([sink], new() { ["Tus:Hooks:MaxRedeliveryBackoff"] = "00:02:00" });
        var entry = await harness.CommitEventAsync(UploadEventType.PostFinish);
        var pauses = new List<double>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var before = harness.Clock.GetUtcNow();
            Assert.False(await harness.Delivery.DeliverAsync((await harness.StoredAsync())[0], postponeOnFailure: true, Ct));
            var stored = Assert.Single(await harness.StoredAsync());
            Assert.Equal(attempt + 1, stored.Attempts);
            pauses.Add((stored.DueAt - before).TotalSeconds);
        }

        // 30 s doubling (with ±20 % jitter), capped at 2 minutes (plus jitter).
        Assert.InRange(pauses[0], 24, 36);
        Assert.InRange(pauses[1], 48, 72);
        Assert.InRange(pauses[2], 96, 144);
        Assert.All(pauses.Skip(3), p => Assert.InRange(p, 96, 144));

        sink.Down = false;
        Assert.True(await harness.Delivery.DeliverAsync((await harness.StoredAsync())[0], postponeOnFailure: true, Ct));
        Assert.Empty(await harness.StoredAsync());
    }

    [Fact]
    public async Task An_event_undelivered_past_the_give_up_age_is_dropped()
    {
        var sink = new ScriptedSink("http", true, UploadEventType.PostFinish) { Down = true };
        await using var harness = new DeliveryHarness([sink]);
        var entry = await harness.CommitEventAsync(UploadEventType.PostFinish);
        await Task.Delay(TimeSpan.FromHours(2), harness.Clock, Ct);

        Assert.False(await harness.Delivery.DeliverAsync(entry, postponeOnFailure: true, Ct));

        Assert.Empty(await harness.StoredAsync());
    }

    [Fact]
    public async Task Blocking_events_need_exactly_one_receiver_that_can_answer()
    {
        await using (var twice = new DeliveryHarness([new ScriptedSink("http", true, UploadEventType.PreCreate), new ScriptedSink("grpc", true, UploadEventType.PreCreate)]))
        {
            Assert.Contains("only one receiver can decide", twice.Validation.FailureMessage, StringComparison.Ordinal);
        }

        await using (var mute = new DeliveryHarness([new ScriptedSink("amqp", false, UploadEventType.PreCreate, UploadEventType.PostFinish)]))
        {
            Assert.Contains("amqp hooks cannot answer", mute.Validation.FailureMessage, StringComparison.Ordinal);
        }

        await using var fine = new DeliveryHarness([new ScriptedSink("http", true, UploadEventType.PreCreate), new ScriptedSink("amqp", false, UploadEventType.PostFinish)]);
        Assert.True(fine.Validation.Succeeded);
    }
}
