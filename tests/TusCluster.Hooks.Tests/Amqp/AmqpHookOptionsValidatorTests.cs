using TusCluster.Hooks.Amqp;

namespace TusCluster.Hooks.Tests.Amqp;

public sealed class AmqpHookOptionsValidatorTests
{
    [Fact]
    public void The_defaults_with_a_uri_are_valid_and_take_every_post_event()
    {
        var options = Valid();

        Assert.True(new AmqpHookOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(["post-create", "post-receive", "post-finish", "post-terminate"], options.EventTypes().Order().Select(type => Protocol.Events.UploadEventTypes.Name(type)));
    }

    [Theory]
    [InlineData("pre-create", "blocking hook")]
    [InlineData("pre-finish", "blocking hook")]
    [InlineData("pre-terminate", "blocking hook")]
    [InlineData("post-frobnicate", "is not an event")]
    public void A_blocking_or_unknown_event_is_refused(string name, string expected)
    {
        var options = Valid();
        options.Events.Add("post-finish");
        options.Events.Add(name);

        var failure = Failure(options);

        Assert.Contains($"Tus:Hooks:Amqp:Events: '{name}'", failure, StringComparison.Ordinal);
        Assert.Contains(expected, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://guest:hunter2@127.0.0.1:5672/")]
    [InlineData("rabbitmq:5672")]
    [InlineData("")]
    public void A_uri_that_is_not_amqp_is_refused_without_showing_it(string uri)
    {
        var options = Valid();
        options.Uri = uri;

        var failure = Failure(options);

        Assert.Contains("Tus:Hooks:Amqp:Uri must be an amqp:// or amqps:// URI", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Amqps_is_accepted()
    {
        var options = Valid();
        options.Uri = "amqps://user:pass@rabbit.example.com/prod";

        Assert.True(new AmqpHookOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("tus.{kind}", "the only placeholder is {type}")]
    [InlineData("tus.{type", "the only placeholder is {type}")]
    public void A_bad_routing_key_template_is_refused(string template, string expected)
    {
        var options = Valid();
        options.RoutingKey = template;

        Assert.Contains("Tus:Hooks:Amqp:RoutingKey: " + expected, Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void A_routing_key_longer_than_255_bytes_is_refused()
    {
        var options = Valid();
        options.RoutingKey = new string('k', 245) + ".{type}";

        Assert.Contains("at most 255 bytes", Failure(options), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", true, "default exchange")]
    [InlineData("amq.topic", true, "cannot be declared")]
    [InlineData("tus hooks", false, "Tus:Hooks:Amqp:Exchange must have")]
    public void An_exchange_that_cannot_be_used_is_refused(string exchange, bool declare, string expected)
    {
        var options = Valid();
        options.Exchange = exchange;
        options.DeclareExchange = declare;

        Assert.Contains(expected, Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_exchange_or_amq_topic_without_declaring_is_fine()
    {
        var options = Valid();
        options.DeclareExchange = false;
        options.Exchange = "amq.topic";
        Assert.True(new AmqpHookOptionsValidator().Validate(null, options).Succeeded);
        options.Exchange = string.Empty;
        Assert.True(new AmqpHookOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(301)]
    public void A_confirm_timeout_out_of_range_is_refused(int seconds)
    {
        var options = Valid();
        options.ConfirmTimeout = TimeSpan.FromSeconds(seconds);

        Assert.Contains("Tus:Hooks:Amqp:ConfirmTimeout", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void Celery_settings_are_checked_when_a_task_is_named()
    {
        var options = Valid();
        options.Celery.Task = "app.tasks.finished";
        options.Celery.Queue = string.Empty;
        options.Celery.Keyword = "not an identifier";

        var failure = Failure(options);

        Assert.Contains("Tus:Hooks:Amqp:Celery:Queue", failure, StringComparison.Ordinal);
        Assert.Contains("Tus:Hooks:Amqp:Celery:Keyword", failure, StringComparison.Ordinal);
    }

    private static AmqpHookOptions Valid() => new() { Uri = "amqp://guest:guest@127.0.0.1:5672/" };

    private static string Failure(AmqpHookOptions options)
    {
        var result = new AmqpHookOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        return result.FailureMessage;
    }
}
