using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;
using TusCluster.Hooks.Amqp;
using TusCluster.Hooks.Payload;
using TusCluster.Hooks.Sinks;
using TusCluster.Hooks.Tests.Payload;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Tests.Amqp;

/// <summary>The sink against a real rabbitmq-server, checked by a plain RabbitMQ.Client consumer.</summary>
public sealed class AmqpHookSinkTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>
{
    private static readonly UploadEventType[] PostEvents =
        [UploadEventType.PostCreate, UploadEventType.PostReceive, UploadEventType.PostFinish, UploadEventType.PostTerminate];

    [Fact]
    public async Task Every_post_event_arrives_as_the_exact_hook_json_with_its_routing_key_and_ids()
    {
        var options = AmqpSinks.Options(broker.Server.AmqpUri);
        await using var consumer = await TestConsumer.StartAsync(broker.Server.AmqpUri, options.Exchange, "tus.#");
        await using var sink = AmqpSinks.Create(options);

        foreach (var type in PostEvents)
        {
            var uploadEvent = SampleEvents.Of(type) with { Id = Guid.NewGuid().ToString("N") };
            Assert.True(sink.Handles(type));

            var decision = await sink.InvokeAsync(uploadEvent, TestContext.Current.CancellationToken);

            Assert.Same(HookDecision.Proceed, decision);
            var message = await consumer.NextAsync();
            Assert.Equal(options.Exchange, message.Exchange);
            Assert.Equal("tus." + type.Name(), message.RoutingKey);
            Assert.Equal(uploadEvent.Id, message.Properties.MessageId);
            Assert.Equal(type.Name(), message.Properties.Type);
            Assert.Equal("application/json", message.Properties.ContentType);
            Assert.Equal(DeliveryModes.Persistent, message.Properties.DeliveryMode);
            Assert.Equal(TusdHookJson.SerializeRequest(uploadEvent), message.Body);

            // The client's confirm tracking adds its sequence number as the one header (documented in configuration.md).
            Assert.Equal([Constants.PublishSequenceNumberHeader], message.Properties.Headers!.Keys);
        }

        Assert.False(sink.CanDecide);
        Assert.False(sink.Handles(UploadEventType.PreCreate));
    }

    [Fact]
    public async Task The_routing_key_template_and_the_event_list_are_honoured()
    {
        var options = AmqpSinks.Options(broker.Server.AmqpUri);
        options.RoutingKey = "uploads.{type}.v1";
        options.Events.Add("post-finish");
        await using var consumer = await TestConsumer.StartAsync(broker.Server.AmqpUri, options.Exchange, "uploads.*.v1");
        await using var sink = AmqpSinks.Create(options);

        Assert.True(sink.Handles(UploadEventType.PostFinish));
        Assert.False(sink.Handles(UploadEventType.PostCreate));
        await sink.InvokeAsync(SampleEvents.Of(UploadEventType.PostFinish), TestContext.Current.CancellationToken);

        var message = await consumer.NextAsync();
        Assert.Equal("uploads.post-finish.v1", message.RoutingKey);
        Assert.Equal(SampleEvents.EventId, message.Properties.MessageId);
    }

    [Fact]
    public async Task An_unroutable_message_is_a_failure_and_a_later_binding_makes_it_deliverable()
    {
        var options = AmqpSinks.Options(broker.Server.AmqpUri);
        await using var sink = AmqpSinks.Create(options);
        var uploadEvent = SampleEvents.Of(UploadEventType.PostFinish);

        var failure = await Assert.ThrowsAsync<HookUnavailableException>(() => sink.InvokeAsync(uploadEvent, TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("returned the message", failure.Message, StringComparison.Ordinal);
        Assert.Contains("tus.post-finish", failure.Message, StringComparison.Ordinal);

        // The outbox delivers it again later; by then a queue is bound, and the same sink (and channel) delivers it.
        await using var consumer = await TestConsumer.StartAsync(broker.Server.AmqpUri, options.Exchange, "#");
        await sink.InvokeAsync(uploadEvent, TestContext.Current.CancellationToken);
        Assert.Equal(SampleEvents.EventId, (await consumer.NextAsync()).Properties.MessageId);
    }

    [Fact]
    public async Task A_message_the_broker_nacks_is_a_failure()
    {
        var options = AmqpSinks.Options(broker.Server.AmqpUri);
        await using (var connection = await new ConnectionFactory { Uri = broker.Server.AmqpUri }.CreateConnectionAsync(TestContext.Current.CancellationToken))
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            // A full queue that rejects new messages: RabbitMQ nacks a publish routed only to it.
            await channel.ExchangeDeclareAsync(options.Exchange, ExchangeType.Topic, durable: true, cancellationToken: TestContext.Current.CancellationToken);
            var arguments = new Dictionary<string, object?> { ["x-max-length"] = 0, ["x-overflow"] = "reject-publish" };
            var queue = await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: false, autoDelete: false, arguments, cancellationToken: TestContext.Current.CancellationToken);
            await channel.QueueBindAsync(queue.QueueName, options.Exchange, "#", cancellationToken: TestContext.Current.CancellationToken);
        }

        await using var sink = AmqpSinks.Create(options);

        var failure = await Assert.ThrowsAsync<HookUnavailableException>(() => sink.InvokeAsync(SampleEvents.Of(UploadEventType.PostFinish), TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("(nack)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_exchange_that_is_not_declared_is_a_failure_until_it_exists()
    {
        var options = AmqpSinks.Options(broker.Server.AmqpUri);
        options.DeclareExchange = false;
        await using var sink = AmqpSinks.Create(options);
        var uploadEvent = SampleEvents.Of(UploadEventType.PostTerminate);

        // The broker closes the channel (404): the sink must open a new one for the next attempt.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var failure = await Assert.ThrowsAsync<HookUnavailableException>(() => sink.InvokeAsync(uploadEvent, TestContext.Current.CancellationToken).AsTask());
            Assert.DoesNotContain("guest:guest", failure.ToString(), StringComparison.Ordinal);
        }

        await using var consumer = await TestConsumer.StartAsync(broker.Server.AmqpUri, options.Exchange, "#");
        await sink.InvokeAsync(uploadEvent, TestContext.Current.CancellationToken);
        Assert.Equal("tus.post-terminate", (await consumer.NextAsync()).RoutingKey);
    }

    [Fact]
    public async Task Concurrent_publishes_on_the_one_channel_are_each_confirmed_and_delivered_once()
    {
        var options = AmqpSinks.Options(broker.Server.AmqpUri);
        await using var consumer = await TestConsumer.StartAsync(broker.Server.AmqpUri, options.Exchange, "#");
        await using var sink = AmqpSinks.Create(options);
        var ids = Enumerable.Range(0, 64).Select(_ => Guid.NewGuid().ToString("N")).ToList();

        await Task.WhenAll(ids.Select(id => Task.Run(async () =>
            await sink.InvokeAsync(SampleEvents.Of(UploadEventType.PostReceive) with { Id = id }, TestContext.Current.CancellationToken))));

        var received = new List<string>();
        foreach (var _ in ids)
        {
            received.Add((await consumer.NextAsync()).Properties.MessageId!);
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
        Assert.True(await consumer.StaysEmptyAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task A_broker_that_is_not_there_is_a_failure_within_the_confirm_timeout()
    {
        var options = AmqpSinks.Options(new Uri($"amqp://guest:secret-password@127.0.0.1:{FreePort.Next()}/"));
        options.ConfirmTimeout = TimeSpan.FromSeconds(2);
        await using var sink = AmqpSinks.Create(options);

        var elapsed = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<HookUnavailableException>(() => sink.InvokeAsync(SampleEvents.Of(UploadEventType.PostFinish), TestContext.Current.CancellationToken).AsTask());

        Assert.InRange(elapsed.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(4));
        Assert.DoesNotContain("secret-password", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_login_is_a_failure_that_does_not_show_the_password()
    {
        var options = AmqpSinks.Options(new Uri($"amqp://guest:wrong-secret@127.0.0.1:{broker.Server.Port}/"));
        await using var sink = AmqpSinks.Create(options);

        var failure = await Assert.ThrowsAsync<HookUnavailableException>(() => sink.InvokeAsync(SampleEvents.Of(UploadEventType.PostFinish), TestContext.Current.CancellationToken).AsTask());

        Assert.DoesNotContain("wrong-secret", failure.ToString(), StringComparison.Ordinal);
        Assert.Contains($"amqp://127.0.0.1:{broker.Server.Port}/", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_connects_and_declares_the_exchange_when_it_starts_before_any_event()
    {
        var exchange = $"tus.test.{Guid.NewGuid():N}";
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging().AddAmqpHooks(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tus:Hooks:Amqp:Uri"] = broker.Server.AmqpUri.ToString(),
            ["Tus:Hooks:Amqp:Exchange"] = exchange,
        }).Build());
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await Eventually.HoldsAsync(() => ExchangeExistsAsync(exchange), $"exchange {exchange} to be declared");
            Assert.IsType<AmqpHookSink>(Assert.Single(host.Services.GetServices<IHookSink>()));
        }
        finally
        {
            await host.StopAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_blocking_event_is_not_taken()
    {
        await using var sink = AmqpSinks.Create(AmqpSinks.Options(broker.Server.AmqpUri));

        Assert.False(sink.Handles(UploadEventType.PreCreate));
        await Assert.ThrowsAsync<ArgumentException>(() => sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), TestContext.Current.CancellationToken).AsTask());
    }

    private async ValueTask<bool> ExchangeExistsAsync(string exchange)
    {
        await using var connection = await new ConnectionFactory { Uri = broker.Server.AmqpUri }.CreateConnectionAsync(TestContext.Current.CancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
        try
        {
            await channel.ExchangeDeclarePassiveAsync(exchange, TestContext.Current.CancellationToken);
            return true;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return false;
        }
    }
}
