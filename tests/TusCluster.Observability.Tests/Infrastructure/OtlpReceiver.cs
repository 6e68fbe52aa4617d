using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TusCluster.UploadService.Hosting;

namespace TusCluster.Observability.Tests.Infrastructure;

/// <summary>
/// An OTLP/HTTP (protobuf) trace and metric receiver on a free loopback port, in-process: what a collector would
/// receive from the service's real exporter, decoded to the span fields the tests look at.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _metricExports;

    private OtlpReceiver(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();

    /// <summary>OTLP metric export requests received (their content is not decoded).</summary>
    public int MetricExports => Volatile.Read(ref _metricExports);

    public static async Task<OtlpReceiver> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new OtlpReceiver(app, new Uri($"http://127.0.0.1:{port}"));
        app.MapPost("/v1/traces", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            receiver.Decode(body.ToArray());
            context.Response.ContentType = "application/x-protobuf";
        });
        app.MapPost("/v1/metrics", async (HttpContext context) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            Interlocked.Increment(ref receiver._metricExports);
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>An embedded upload service (file store, in-process coordination, no sweeper) exporting its spans here over OTLP/HTTP.</summary>
    public WebApplication BuildUploadService(TemporaryDirectory data, int port, params string[] arguments) => UploadServiceHost.Build(
    [
        $"--urls=http://127.0.0.1:{port}",
        $"--Tus:Storage:FileSystem:Root={data.Path}/uploads",
        $"--Tus:Coordination:Embedded:Directory={data.Path}/meta",
        $"--Tus:Telemetry:OtlpEndpoint={Endpoint}",
        "--Tus:Telemetry:OtlpProtocol=HttpProtobuf",
        "--Tus:Sweeper:Enabled=false",
        .. arguments,
    ]);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // TracesData { ResourceSpans resource_spans = 1 } ResourceSpans { ScopeSpans scope_spans = 2 }
    // ScopeSpans { InstrumentationScope scope = 1 (name = 1); Span spans = 2 }
    // Span { trace_id = 1; span_id = 2; parent_span_id = 4; name = 5; kind = 6; attributes = 9 (KeyValue: key = 1, value = 2 (AnyValue: string = 1, int = 3)) }
    private void Decode(byte[] tracesData)
    {
        foreach (var resourceSpans in ProtobufReader.Fields(tracesData).Where(f => f.Field == 1))
        {
            foreach (var scopeSpans in ProtobufReader.Fields(resourceSpans.Bytes).Where(f => f.Field == 2))
            {
                var scope = string.Empty;
                foreach (var field in ProtobufReader.Fields(scopeSpans.Bytes))
                {
                    if (field.Field == 1)
                    {
                        scope = Text(ProtobufReader.Fields(field.Bytes).FirstOrDefault(f => f.Field == 1).Bytes);
                    }
                    else if (field.Field == 2)
                    {
                        Spans.Enqueue(DecodeSpan(scope, field.Bytes));
                    }
                }
            }
        }
    }

    private static ReceivedSpan DecodeSpan(string scope, ReadOnlyMemory<byte> span)
    {
        string traceId = string.Empty, spanId = string.Empty, parentId = string.Empty, name = string.Empty;
        var kind = 0;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in ProtobufReader.Fields(span))
        {
            switch (field.Field)
            {
                case 1: traceId = Convert.ToHexStringLower(field.Bytes.Span); break;
                case 2: spanId = Convert.ToHexStringLower(field.Bytes.Span); break;
                case 4: parentId = Convert.ToHexStringLower(field.Bytes.Span); break;
                case 5: name = Text(field.Bytes); break;
                case 6: kind = (int)field.Number; break;
                case 9:
                    var key = Text(ProtobufReader.Fields(field.Bytes).FirstOrDefault(f => f.Field == 1).Bytes);
                    var value = ProtobufReader.Fields(field.Bytes).FirstOrDefault(f => f.Field == 2).Bytes;
                    var any = ProtobufReader.Fields(value).FirstOrDefault();
                    attributes[key] = any.Field == 1 ? Text(any.Bytes) : any.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    break;
            }
        }

        return new ReceivedSpan(scope, traceId, spanId, parentId, name, kind, attributes);
    }

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
}

/// <param name="Kind">OTLP SpanKind: 1 internal, 2 server, 3 client.</param>
internal sealed record ReceivedSpan(string Scope, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, IReadOnlyDictionary<string, string> Attributes);
