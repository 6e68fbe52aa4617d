using System.Text.Json;
using System.Text.Json.Nodes;
using TusCluster.Hooks.Amqp;
using TusCluster.Hooks.Payload;
using TusCluster.Hooks.Tests.Payload;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Tests.Amqp;

/// <summary>post-* events as Celery task messages, run by a real Celery worker that writes down what it got.</summary>
public sealed class CeleryTaskTests(CeleryFixture celery) : IClassFixture<CeleryFixture>
{
    private static readonly Dictionary<string, string> MetaData = new(StringComparer.Ordinal)
    {
        ["filename"] = "Bericht ä € 😀.pdf",
        ["filetype"] = "application/pdf",
        ["empty"] = string.Empty,
    };

    [Fact]
    public async Task The_worker_runs_the_named_task_with_the_hook_request_as_its_argument()
    {
        var uploadEvent = Event(UploadEventType.PostFinish, size: 1_048_577);
        await using var sink = AmqpSinks.Create(Options(keyword: null));

        await sink.InvokeAsync(uploadEvent, TestContext.Current.CancellationToken);

        var received = await ReceivedAsync(uploadEvent.Id);
        AssertTask(received, uploadEvent);
        Assert.Equal(1, received.GetProperty("args_count").GetInt32());
        Assert.Empty(received.GetProperty("kwargs_keys").EnumerateArray());
    }

    [Fact]
    public async Task With_a_keyword_the_hook_request_is_passed_as_that_keyword_argument()
    {
        var uploadEvent = Event(UploadEventType.PostTerminate, size: 7);
        await using var sink = AmqpSinks.Create(Options(keyword: "hook"));

        await sink.InvokeAsync(uploadEvent, TestContext.Current.CancellationToken);

        var received = await ReceivedAsync(uploadEvent.Id);
        AssertTask(received, uploadEvent);
        Assert.Equal(0, received.GetProperty("args_count").GetInt32());
        Assert.Equal(["hook"], received.GetProperty("kwargs_keys").EnumerateArray().Select(key => key.GetString()));
    }

    [Fact]
    public async Task A_queue_nobody_declared_is_a_failure()
    {
        var options = Options(keyword: null);
        options.Celery.Queue = "no-worker-here";
        await using var sink = AmqpSinks.Create(options);

        var failure = await Assert.ThrowsAsync<HookUnavailableException>(() => sink.InvokeAsync(Event(UploadEventType.PostCreate, size: 1), TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("no-worker-here", failure.Message, StringComparison.Ordinal);
    }

    private AmqpHookOptions Options(string? keyword)
    {
        var options = AmqpSinks.Options(celery.Server.AmqpUri);
        options.Celery.Task = CeleryFixture.Task;
        options.Celery.Queue = celery.Queue;
        options.Celery.Keyword = keyword;
        return options;
    }

    private static UploadEvent Event(UploadEventType type, long size)
    {
        var sample = SampleEvents.Of(type);
        return sample with
        {
            Id = Guid.NewGuid().ToString("N"),
            Upload = sample.Upload with { Id = Guid.NewGuid().ToString("N"), Size = size, Offset = size, MetaData = MetaData },
        };
    }

    private void AssertTask(JsonElement received, UploadEvent uploadEvent)
    {
        Assert.Equal(uploadEvent.Id, received.GetProperty("task_id").GetString());
        Assert.Equal(uploadEvent.Id, received.GetProperty("root_id").GetString());
        Assert.Equal(JsonValueKind.Null, received.GetProperty("parent_id").ValueKind);
        Assert.Equal(0, received.GetProperty("retries").GetInt32());
        Assert.Equal(CeleryFixture.Task, received.GetProperty("task").GetString());
        Assert.Equal(celery.Queue, received.GetProperty("routing_key").GetString());
        Assert.Equal(uploadEvent.Id, received.GetProperty("event_id").GetString());
        Assert.Equal(uploadEvent.Type.Name(), received.GetProperty("type").GetString());
        Assert.Equal(uploadEvent.Upload.Id, received.GetProperty("upload_id").GetString());
        Assert.Equal(uploadEvent.Upload.Size, received.GetProperty("size").GetInt64());
        Assert.Equal(MetaData, received.GetProperty("metadata").Deserialize<Dictionary<string, string>>());

        // The whole hook request as Python decoded it equals the tusd JSON the other sinks send.
        var sent = JsonNode.Parse(TusdHookJson.SerializeRequest(uploadEvent));
        var got = JsonNode.Parse(received.GetProperty("hook").GetRawText());
        Assert.True(JsonNode.DeepEquals(sent, got), $"sent {sent?.ToJsonString()}\ngot  {got?.ToJsonString()}");
    }

    private async Task<JsonElement> ReceivedAsync(string eventId)
    {
        var path = Path.Combine(celery.Output, eventId + ".json");
        await Eventually.HoldsAsync(() => System.IO.File.Exists(path), $"the Celery task to record event {eventId}", TimeSpan.FromSeconds(60), () => celery.WorkerLog);
        using var document = JsonDocument.Parse(await System.IO.File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
        return document.RootElement.Clone();
    }
}
