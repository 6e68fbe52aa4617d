using System.Diagnostics;
using TusCluster.Hooks.Amqp;
using TusCluster.Hooks.Tests.Payload;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Tests.Amqp;

/// <summary>
/// The broker goes away under a connected sink (killed, or shut down cleanly) and comes back on the same port:
/// meanwhile every publish fails within the confirm timeout, afterwards the same sink publishes again (recovery).
/// Its own broker, since it stops it.
/// </summary>
public sealed class AmqpBrokerOutageTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>
{
    [Fact]
    public async Task A_publish_fails_within_the_timeout_while_the_broker_is_down_and_works_again_after_it_returns()
    {
        var server = broker.Server;
        var options = AmqpSinks.Options(server.AmqpUri);
        options.ConfirmTimeout = TimeSpan.FromSeconds(3);
        await using var sink = AmqpSinks.Create(options);
        await using (var consumer = await TestConsumer.StartAsync(server.AmqpUri, options.Exchange, "#"))
        {
            await sink.InvokeAsync(Event("before"), TestContext.Current.CancellationToken);
            Assert.Equal(Id("before"), (await consumer.NextAsync()).Properties.MessageId);
        }

        await server.KillAsync();
        await AssertFailsWithinTimeoutAsync(sink, options.ConfirmTimeout, "killed");
        await server.StartAsync();
        await AssertRecoversAsync(sink, server, options.Exchange, "after-kill");

        await server.StopAsync();
        await AssertFailsWithinTimeoutAsync(sink, options.ConfirmTimeout, "stopped");
        await server.StartAsync();
        await AssertRecoversAsync(sink, server, options.Exchange, "after-stop");
    }

    [Fact]
    public async Task A_broker_that_hangs_is_a_failure_after_the_confirm_timeout_and_the_channel_works_again_after()
    {
        var server = broker.Server;
        var options = AmqpSinks.Options(server.AmqpUri);
        options.ConfirmTimeout = TimeSpan.FromSeconds(2);
        await using var sink = AmqpSinks.Create(options);
        await using var consumer = await TestConsumer.StartAsync(server.AmqpUri, options.Exchange, "#");
        await sink.InvokeAsync(Event("before-pause"), TestContext.Current.CancellationToken);
        Assert.Equal(Id("before-pause"), (await consumer.NextAsync()).Properties.MessageId);

        server.Pause();
        try
        {
            var elapsed = Stopwatch.StartNew();
            var failure = await Assert.ThrowsAsync<HookUnavailableException>(() => sink.InvokeAsync(Event("paused"), TestContext.Current.CancellationToken).AsTask());
            Assert.InRange(elapsed.Elapsed, options.ConfirmTimeout - TimeSpan.FromMilliseconds(100), options.ConfirmTimeout + TimeSpan.FromSeconds(1));
            Assert.Contains("did not confirm", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            server.Resume();
        }

        // The unconfirmed message may still arrive (at least once); then the next one is confirmed on the same connection.
        await sink.InvokeAsync(Event("after-pause"), TestContext.Current.CancellationToken);
        var ids = new List<string?>();
        while (ids.LastOrDefault() != Id("after-pause"))
        {
            ids.Add((await consumer.NextAsync()).Properties.MessageId);
        }

        Assert.All(ids, id => Assert.Contains(id, new[] { Id("paused"), Id("after-pause") }));
    }

    private static async Task AssertFailsWithinTimeoutAsync(AmqpHookSink sink, TimeSpan timeout, string label)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var elapsed = Stopwatch.StartNew();
            await Assert.ThrowsAsync<HookUnavailableException>(() => sink.InvokeAsync(Event($"{label}-{attempt}"), TestContext.Current.CancellationToken).AsTask());
            Assert.InRange(elapsed.Elapsed, TimeSpan.Zero, timeout + TimeSpan.FromSeconds(1));
        }
    }

    private static async Task AssertRecoversAsync(AmqpHookSink sink, RabbitMqServer server, string exchange, string label)
    {
        // A fresh consumer: its queue did not survive the restart. The exchange is durable and recovered anyway.
        await using var consumer = await TestConsumer.StartAsync(server.AmqpUri, exchange, "#");
        HookUnavailableException? last = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                try
                {
                    await sink.InvokeAsync(Event(label), TestContext.Current.CancellationToken);
                    return true;
                }
                catch (HookUnavailableException e)
                {
                    last = e;
                    return false;
                }
            },
            "the sink to publish again after the broker returned",
            TimeSpan.FromSeconds(60),
            () => last?.ToString() ?? "no failure");
        Assert.Equal(Id(label), (await consumer.NextAsync()).Properties.MessageId);
    }

    private static UploadEvent Event(string label) => SampleEvents.Of(UploadEventType.PostFinish) with { Id = Id(label) };

    private static string Id(string label) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(label)));
}
