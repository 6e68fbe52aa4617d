using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TusCluster.Hooks.Delivery;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Tests.Delivery;

public sealed class OutboxRedeliveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_leader_delivers_what_nobody_delivered_once_it_is_due_and_retries_a_receiver_that_was_down()
    {
        var sink = new ScriptedSink("http", true, UploadEventType.PostFinish, UploadEventType.PostCreate) { Down = true };

        // The fast-forward clock races on while the leader polls: nothing may age out meanwhile.
        await using var harness = new DeliveryHarness([sink], new() { ["Tus:Hooks:GiveUpAfter"] = "300.00:00:00" });
        var entries = new[] { await harness.CommitEventAsync(UploadEventType.PostFinish), await harness.CommitEventAsync(UploadEventType.PostCreate) };
        var leader = harness.Services.GetServices<IHostedService>().OfType<OutboxRedelivery>().Single();

        await leader.StartAsync(Ct);
        try
        {
            await Eventually.HoldsAsync(async () => (await harness.StoredAsync()) is { Count: 2 } stored && stored.All(e => e.Attempts >= 2), "the receiver that is down to be tried twice per event");
            Assert.Empty(sink.Received);

            sink.Down = false;
            await Eventually.HoldsAsync(async () => (await harness.StoredAsync()).Count == 0, "every event to be delivered once the receiver is back");
        }
        finally
        {
            await leader.StopAsync(CancellationToken.None);
        }

        Assert.Equal(entries.Select(e => e.Id).Order(), sink.Received.Select(e => e.Id).Order());
    }

    [Fact]
    public async Task Committed_events_are_delivered_right_away_by_the_committing_replica()
    {
        var sink = new ScriptedSink("http", true, UploadEventType.PostFinish);
        await using var harness = new DeliveryHarness([sink]);
        var queue = harness.Services.GetRequiredService<DeliveryQueue>();
        await queue.StartAsync(Ct);
        try
        {
            var entry = await harness.CommitEventAsync(UploadEventType.PostFinish);
            harness.Services.GetRequiredService<IUploadHooks>().Committed([entry]);

            await Eventually.HoldsAsync(async () => (await harness.StoredAsync()).Count == 0, "the event to be delivered and deleted");
            Assert.Equal(entry.Id, Assert.Single(sink.Received).Id);
        }
        finally
        {
            await queue.StopAsync(CancellationToken.None);
        }
    }
}
