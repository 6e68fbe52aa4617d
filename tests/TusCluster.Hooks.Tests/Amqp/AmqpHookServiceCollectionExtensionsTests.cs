using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TusCluster.Hooks.Amqp;
using TusCluster.Hooks.Sinks;

namespace TusCluster.Hooks.Tests.Amqp;

public sealed class AmqpHookServiceCollectionExtensionsTests
{
    [Fact]
    public void Without_a_uri_nothing_is_added()
    {
        var services = new ServiceCollection().AddLogging().AddAmqpHooks(Configuration([]));

        using var provider = services.BuildServiceProvider();
        Assert.Empty(provider.GetServices<IHookSink>());
    }

    [Fact]
    public async Task With_a_uri_the_sink_is_added_and_a_pre_event_stops_the_start()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddAmqpHooks(Configuration(new()
        {
            ["Tus:Hooks:Amqp:Uri"] = "amqp://guest:guest@127.0.0.1:5672/",
            ["Tus:Hooks:Amqp:Events:0"] = "post-finish",
            ["Tus:Hooks:Amqp:Events:1"] = "pre-create",
        }));
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("'pre-create' is a blocking hook", failure.Message, StringComparison.Ordinal);
        Assert.Single(builder.Services, service => service.ServiceType == typeof(IHookSink));
        Assert.Single(builder.Services, service => service.ServiceType == typeof(AmqpHookSink));
    }

    [Fact]
    public void The_configuration_binds_every_setting()
    {
        var services = new ServiceCollection().AddLogging().AddAmqpHooks(Configuration(new()
        {
            ["Tus:Hooks:Amqp:Uri"] = "amqps://u:p@rabbit/vh",
            ["Tus:Hooks:Amqp:Exchange"] = "uploads",
            ["Tus:Hooks:Amqp:DeclareExchange"] = "false",
            ["Tus:Hooks:Amqp:RoutingKey"] = "u.{type}",
            ["Tus:Hooks:Amqp:Events:0"] = "post-finish",
            ["Tus:Hooks:Amqp:ConfirmTimeout"] = "00:00:03",
            ["Tus:Hooks:Amqp:RecoveryInterval"] = "00:00:02",
            ["Tus:Hooks:Amqp:Celery:Task"] = "app.finished",
            ["Tus:Hooks:Amqp:Celery:Queue"] = "uploads",
            ["Tus:Hooks:Amqp:Celery:Keyword"] = "hook",
        }));

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<AmqpHookOptions>>().Value;
        Assert.Equal(
            ("amqps://u:p@rabbit/vh", "uploads", false, "u.{type}", "post-finish", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), "app.finished", "uploads", "hook"),
            (options.Uri, options.Exchange, options.DeclareExchange, options.RoutingKey, Assert.Single(options.Events), options.ConfirmTimeout, options.RecoveryInterval, options.Celery.Task, options.Celery.Queue, options.Celery.Keyword));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
