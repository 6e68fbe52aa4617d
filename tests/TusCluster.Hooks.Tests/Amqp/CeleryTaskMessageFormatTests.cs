using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using TusCluster.Hooks.Amqp;
using TusCluster.Hooks.Payload;
using TusCluster.Hooks.Tests.Payload;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Tests.Amqp;

/// <summary>The message fields Celery's protocol v2 defines (celery/app/amqp.py as_task_v2), field by field.</summary>
public sealed class CeleryTaskMessageFormatTests
{
    private static readonly UploadEvent PostFinish = SampleEvents.Of(UploadEventType.PostFinish);

    [Fact]
    public void Headers_and_properties_are_those_of_a_protocol_v2_task_message()
    {
        var message = new CeleryTaskMessageFormat(new CeleryOptions { Task = "app.tasks.finished", Queue = "uploads" }).Create(PostFinish);

        Assert.Equal(string.Empty, message.Exchange);
        Assert.Equal("uploads", message.RoutingKey);
        var properties = message.Properties;
        Assert.Equal(SampleEvents.EventId, properties.CorrelationId);
        Assert.Equal("application/json", properties.ContentType);
        Assert.Equal("utf-8", properties.ContentEncoding);
        Assert.Equal(DeliveryModes.Persistent, properties.DeliveryMode);
        Assert.Equal(0, properties.Priority);
        var headers = properties.Headers!;
        Assert.Equal("py", headers["lang"]);
        Assert.Equal("app.tasks.finished", headers["task"]);
        Assert.Equal(SampleEvents.EventId, headers["id"]);
        Assert.Equal(SampleEvents.EventId, headers["root_id"]);
        Assert.Null(headers["parent_id"]);
        Assert.Null(headers["group"]);
        Assert.Null(headers["eta"]);
        Assert.Null(headers["expires"]);
        Assert.Equal(0, headers["retries"]);
        Assert.Equal(new object?[] { null, null }, (IEnumerable<object?>)headers["timelimit"]!);
        Assert.Equal("tuscluster@tus-0", headers["origin"]);
        Assert.Equal("{}", headers["kwargsrepr"]);
        Assert.StartsWith("({\"Type\":\"post-finish\"", (string)headers["argsrepr"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void The_body_is_args_kwargs_and_embed_with_the_hook_request_as_the_only_argument()
    {
        var message = new CeleryTaskMessageFormat(new CeleryOptions { Task = "t" }).Create(PostFinish);

        var expected = "[[" + Encoding.UTF8.GetString(TusdHookJson.SerializeRequest(PostFinish)) + "],{},"
            + "{\"callbacks\":null,\"errbacks\":null,\"chain\":null,\"chord\":null}]";
        Assert.Equal(expected, Encoding.UTF8.GetString(message.Body.Span));
        Assert.Equal("celery", message.RoutingKey);
    }

    [Fact]
    public void With_a_keyword_the_hook_request_is_the_only_keyword_argument()
    {
        var message = new CeleryTaskMessageFormat(new CeleryOptions { Task = "t", Keyword = "hook" }).Create(PostFinish);

        using var body = JsonDocument.Parse(message.Body);
        Assert.Equal(0, body.RootElement[0].GetArrayLength());
        Assert.Equal(SampleEvents.EventId, body.RootElement[1].GetProperty("hook").GetProperty("EventId").GetString());
        Assert.Equal("()", message.Properties.Headers!["argsrepr"]);
    }

    [Fact]
    public void The_reprs_are_cut_at_celerys_limit()
    {
        var big = PostFinish with { Upload = PostFinish.Upload with { MetaData = new Dictionary<string, string> { ["x"] = new string('a', 5000) } } };

        var message = new CeleryTaskMessageFormat(new CeleryOptions { Task = "t" }).Create(big);

        var argsrepr = (string)message.Properties.Headers!["argsrepr"]!;
        Assert.Equal(1024, argsrepr.Length);
        Assert.EndsWith("...", argsrepr, StringComparison.Ordinal);
    }
}
