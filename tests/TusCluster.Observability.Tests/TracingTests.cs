using System.Net;
using Microsoft.AspNetCore.Builder;
using TusCluster.Observability.Tests.Infrastructure;

namespace TusCluster.Observability.Tests;

/// <summary>The upload service's real OTLP exporter, sending to an in-process OTLP/HTTP receiver.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task Each_patch_is_one_trace_with_lock_and_store_spans_under_the_request_span()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var data = new TemporaryDirectory();
        var port = FreePort.Next();
        var app = receiver.BuildUploadService(data, port, "--Tus:Telemetry:ServiceName=trace-test");
        string uploadId;
        await using (app)
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            using var client = new HttpClient();
            var files = new Uri($"http://127.0.0.1:{port}/files/");
            var upload = await Tus.CreateAsync(client, files, 6);
            uploadId = upload.Segments[^1];
            for (var offset = 0; offset < 6; offset += 2)
            {
                using var response = await Tus.PatchAsync(client, upload, offset, [1, 2]);
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            }

            // Stopping and disposing the host disposes the tracer provider, which flushes the exporter.
            await app.StopAsync(TestContext.Current.CancellationToken);
        }

        // A tracer provider listens to the whole process: spans of other tests' hosts arrive here too.
        var spans = receiver.Spans.ToList();
        var patches = spans.Where(s => s.Kind == 2 && s.Scope == "Microsoft.AspNetCore" && s.Attributes.GetValueOrDefault("http.request.method") == "PATCH"
            && s.Attributes.GetValueOrDefault("tus.upload.id") == uploadId).ToList();
        Assert.True(patches.Count == 3, "Spans received: " + string.Join("; ", spans.Select(s => $"{s.Scope}/{s.Name}/{s.Kind}/{string.Join(",", s.Attributes.Keys)}")));
        Assert.Equal(3, patches.Select(p => p.TraceId).Distinct().Count());
        Assert.DoesNotContain(spans, s => s.Scope == "Microsoft.AspNetCore" && s.Kind == 2 && s.TraceId == patches[0].TraceId && s.SpanId != patches[0].SpanId);
        foreach (var patch in patches)
        {
            Assert.Equal("PATCH", patch.Name);
            Assert.Equal("204", patch.Attributes.GetValueOrDefault("http.response.status_code"));
            Assert.Equal(uploadId, patch.Attributes.GetValueOrDefault("tus.upload.id"));
            var children = spans.Where(s => s.TraceId == patch.TraceId && s.ParentSpanId == patch.SpanId).ToList();
            var acquire = Assert.Single(children, s => s.Name == "coordination.acquire");
            Assert.Equal("TusCluster.Coordination", acquire.Scope);
            Assert.Equal("embedded", acquire.Attributes["tus.backend"]);
            Assert.Equal(uploadId, acquire.Attributes["tus.upload.id"]);
            var stage = Assert.Single(children, s => s.Name == "store.stage");
            Assert.Equal("TusCluster.Store", stage.Scope);
            Assert.Equal("filesystem", stage.Attributes["tus.backend"]);
            Assert.Contains(children, s => s.Name is "coordination.commit_release" or "coordination.commit");
            Assert.Contains(children, s => s.Name == "store.settle");
        }

        // The last PATCH finishes the upload: the finish span, with its store work beneath it.
        var last = patches.Single(p => spans.Any(s => s.TraceId == p.TraceId && s.Name == "tus.upload.finish"));
        var finish = spans.Single(s => s.TraceId == last.TraceId && s.Name == "tus.upload.finish");
        Assert.Contains(spans, s => s.ParentSpanId == finish.SpanId && s.Name == "store.complete");
        Assert.Contains(spans, s => s.ParentSpanId == finish.SpanId && s.Name == "coordination.commit");
    }
}
