using System.Net;
using Microsoft.AspNetCore.Builder;
using TusCluster.Observability.Tests.Infrastructure;

namespace TusCluster.Observability.Tests;

/// <summary>
/// A PATCH that arrives with a W3C <c>traceparent</c>: the service's real OTLP exporter sends its spans to
/// an in-process OTLP/HTTP receiver, and they join the caller's trace as one tree under the request span.
/// </summary>
public sealed class TraceContextTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string CallerSpanId = "00f067aa0ba902b7";

    [Fact]
    public async Task A_patch_joins_the_incoming_trace_with_coordination_and_store_spans_as_children()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var data = new TemporaryDirectory();
        var port = FreePort.Next();
        var app = receiver.BuildUploadService(data, port);
        string uploadId;
        await using (app)
        {
            await app.StartAsync(TestContext.Current.CancellationToken);

            using var client = new HttpClient();
            var upload = await Tus.CreateAsync(client, new Uri($"http://127.0.0.1:{port}/files/"), 4);
            uploadId = upload.Segments[^1];

            // The caller sits in another process: a raw connection, because the service's HttpClient
            // instrumentation would also trace (and re-parent) an HttpClient call made in this process.
            await using (var caller = await RawHttpConnection.OpenAsync(upload))
            {
                await caller.SendHeadAsync(
                    "PATCH",
                    upload,
                    "Tus-Resumable: 1.0.0",
                    "Upload-Offset: 0",
                    "Content-Type: application/offset+octet-stream",
                    "Content-Length: 4",
                    $"traceparent: 00-{TraceId}-{CallerSpanId}-01");
                await caller.SendAsync(new byte[] { 1, 2, 3, 4 });
                var patch = await caller.ReadResponseHeadAsync(TimeSpan.FromSeconds(60));
                Assert.Equal(204, patch.Status);
            }

            // Stopping and disposing the host disposes the tracer provider, which flushes the exporter.
            await app.StopAsync(TestContext.Current.CancellationToken);
        }

        var trace = receiver.Spans.Where(s => s.TraceId == TraceId).ToList();
        var request = Assert.Single(trace, s => s.ParentSpanId == CallerSpanId);
        Assert.Equal(("Microsoft.AspNetCore", 2, "PATCH"), (request.Scope, request.Kind, request.Name));
        Assert.Equal("PATCH", request.Attributes["http.request.method"]);
        Assert.Equal("204", request.Attributes["http.response.status_code"]);
        Assert.Equal(uploadId, request.Attributes["tus.upload.id"]);

        // Every other span of the trace hangs, through its parents, from the request span.
        var byId = trace.ToDictionary(s => s.SpanId, StringComparer.Ordinal);
        foreach (var span in trace.Where(s => s != request))
        {
            var ancestor = span;
            while (ancestor != request)
            {
                Assert.True(byId.TryGetValue(ancestor.ParentSpanId, out ancestor), $"{span.Name}: parent {span.ParentSpanId} is not in the trace");
            }
        }

        var children = trace.Where(s => s.ParentSpanId == request.SpanId).ToList();
        var acquire = Assert.Single(children, s => s.Name == "coordination.acquire");
        Assert.Equal(("TusCluster.Coordination", uploadId), (acquire.Scope, acquire.Attributes["tus.upload.id"]));
        var stage = Assert.Single(children, s => s.Name == "store.stage");
        Assert.Equal(("TusCluster.Store", "filesystem"), (stage.Scope, stage.Attributes["tus.backend"]));
        Assert.Contains(children, s => s.Name == "store.settle" && s.Scope == "TusCluster.Store");
        Assert.Contains(children, s => s.Name is "coordination.commit_release" or "coordination.release" && s.Scope == "TusCluster.Coordination");

        // The PATCH carried the last byte: finishing is a child, with its own store and coordination work below it.
        var finish = Assert.Single(children, s => s.Name == "tus.upload.finish");
        Assert.Contains(trace, s => s.ParentSpanId == finish.SpanId && s.Name == "store.complete");
        Assert.Contains(trace, s => s.ParentSpanId == finish.SpanId && s.Name == "coordination.commit");
        Assert.DoesNotContain(receiver.Spans, s => s.TraceId != TraceId && s.Name == "store.stage" && s.Attributes.GetValueOrDefault("tus.upload.id") == uploadId);
    }
}
