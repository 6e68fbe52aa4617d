using System.Buffers;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using TusCluster.Hooks.Payload;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Amqp;

/// <summary>
/// Celery task messages, message protocol v2 (as celery/app/amqp.py <c>as_task_v2</c> builds them): the task's
/// identity in the headers, the body <c>[args, kwargs, embed]</c> with the tusd hook request as the argument.
/// Published through the default exchange to the worker's queue. The task id is the event id, so a redelivered
/// event is the same task id and the task can dedupe by it.
/// </summary>
internal sealed class CeleryTaskMessageFormat(CeleryOptions options) : IAmqpMessageFormat
{
    /// <summary>Celery's own cut-off for argsrepr and kwargsrepr (app.amqp.argsrepr_maxsize): they are for logs.</summary>
    private const int ReprMaxLength = 1024;

    private readonly string _task = options.Task ?? throw new ArgumentException("Celery:Task is not set.", nameof(options));

    // The worker declares its queue (with its own arguments); declaring it here could conflict with them. Until it
    // exists the mandatory publish is returned, which is a failure: the event waits in the outbox.
    public Task DeclareAsync(IChannel channel, CancellationToken cancellationToken) => Task.CompletedTask;

    public AmqpMessage Create(UploadEvent uploadEvent)
    {
        var hook = TusdHookJson.SerializeRequest(uploadEvent);
        var hookText = Encoding.UTF8.GetString(hook);
        var (argsRepr, kwargsRepr) = options.Keyword is { } keyword
            ? ("()", Repr($"{{'{keyword}': {hookText}}}"))
            : (Repr($"({hookText},)"), "{}");
        var headers = new Dictionary<string, object?>
        {
            ["lang"] = "py",
            ["task"] = _task,
            ["id"] = uploadEvent.Id,
            ["shadow"] = null,
            ["eta"] = null,
            ["expires"] = null,
            ["group"] = null,
            ["group_index"] = null,
            ["retries"] = 0,
            ["timelimit"] = new List<object?> { null, null },
            ["root_id"] = uploadEvent.Id,
            ["parent_id"] = null,
            ["argsrepr"] = argsRepr,
            ["kwargsrepr"] = kwargsRepr,
            ["origin"] = $"{AmqpPublisher.ClientName}@{uploadEvent.Replica}",
            ["ignore_result"] = false,
        };
        var properties = new BasicProperties
        {
            CorrelationId = uploadEvent.Id,
            MessageId = uploadEvent.Id,
            Type = uploadEvent.Type.Name(),
            ContentType = "application/json",
            ContentEncoding = "utf-8",
            DeliveryMode = DeliveryModes.Persistent,
            Priority = 0,
            Headers = headers,
            AppId = AmqpPublisher.ClientName,
        };
        return new AmqpMessage(string.Empty, options.Queue, properties, Body(hook));
    }

    private ReadOnlyMemory<byte> Body(byte[] hook)
    {
        var buffer = new ArrayBufferWriter<byte>(hook.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStartArray();
            if (options.Keyword is null)
            {
                writer.WriteRawValue(hook, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteStartObject();
            if (options.Keyword is { } keyword)
            {
                writer.WritePropertyName(keyword);
                writer.WriteRawValue(hook, skipInputValidation: true);
            }

            writer.WriteEndObject();
            writer.WriteStartObject();
            writer.WriteNull("callbacks");
            writer.WriteNull("errbacks");
            writer.WriteNull("chain");
            writer.WriteNull("chord");
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        return buffer.WrittenMemory;
    }

    private static string Repr(string text) => text.Length <= ReprMaxLength ? text : string.Concat(text.AsSpan(0, ReprMaxLength - 3), "...");
}
