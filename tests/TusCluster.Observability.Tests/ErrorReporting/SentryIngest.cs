using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TusCluster.Observability.Tests.ErrorReporting;

/// <summary>
/// Stands in for Sentry's ingest endpoint: no Sentry server can run here, so a Kestrel listener on a free
/// loopback port accepts what the real SDK posts (envelopes: newline-separated JSON items) and keeps the
/// items, decompressed, for the tests to read.
/// </summary>
internal sealed class SentryIngest : IAsyncDisposable
{
    private const long MaxEnvelopeSize = 4 * 1024 * 1024;

    private readonly WebApplication _app;

    private SentryIngest(WebApplication app, int port)
    {
        _app = app;
        Dsn = $"http://publickey@127.0.0.1:{port}/1";
    }

    /// <summary>A DSN for project 1 on this listener.</summary>
    public string Dsn { get; }

    /// <summary>Every request that reached the listener, whatever its path.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Every envelope item, in arrival order.</summary>
    public ConcurrentQueue<EnvelopeItem> Items { get; } = new();

    public IReadOnlyList<JsonElement> Events => [.. Items.Where(i => i.Type == "event").Select(i => i.Payload)];

    public static async Task<SentryIngest> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var ingest = new SentryIngest(app, port);
        app.Run(async context =>
        {
            ingest.Requests.Enqueue(context.Request.Method + " " + context.Request.Path);
            if (context.Request.Path == "/api/1/envelope/")
            {
                foreach (var item in EnvelopeItem.Parse(await ReadBodyAsync(context.Request)))
                {
                    ingest.Items.Enqueue(item);
                }
            }

            await context.Response.WriteAsJsonAsync(new { id = Guid.NewGuid().ToString("N") });
        });
        await app.StartAsync();
        return ingest;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        Stream body = request.Headers.ContentEncoding.ToString() switch
        {
            "gzip" => new GZipStream(request.Body, CompressionMode.Decompress),
            "deflate" => new ZLibStream(request.Body, CompressionMode.Decompress),
            "br" => new BrotliStream(request.Body, CompressionMode.Decompress),
            "" => request.Body,
            var other => throw new InvalidOperationException($"Unexpected Content-Encoding {other}"),
        };
        await using (body)
        {
            using var copy = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                copy.Write(buffer, 0, read);
                if (copy.Length > MaxEnvelopeSize)
                {
                    throw new InvalidOperationException($"An envelope larger than {MaxEnvelopeSize} bytes");
                }
            }

            return copy.ToArray();
        }
    }
}
