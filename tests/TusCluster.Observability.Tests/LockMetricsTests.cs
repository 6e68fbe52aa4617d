using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.Observability.Tests.Infrastructure;
using TusCluster.Protocol.Coordination;
using static TusCluster.Observability.Tests.Infrastructure.Exposition;

namespace TusCluster.Observability.Tests;

/// <summary>Lock contention as the decorators report it: hand-over requests, timeouts, the hand-over span.</summary>
public sealed class LockMetricsTests
{
    [Fact]
    public async Task A_holder_that_does_not_hand_over_shows_as_hand_over_request_timeout_and_span()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var data = new TemporaryDirectory();
        var port = FreePort.Next();
        var app = receiver.BuildUploadService(data, port, "--Tus:LockAcquireTimeout=00:00:00.300");
        string uploadId;
        await using (app)
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            using var client = new HttpClient();
            var metrics = new Uri($"http://127.0.0.1:{port}/metrics");
            var upload = await Tus.CreateAsync(client, new Uri($"http://127.0.0.1:{port}/files/"), 10);
            uploadId = upload.Segments[^1];
            var before = await client.GetStringAsync(metrics, TestContext.Current.CancellationToken);

            // A holder that ignores hand-over requests, as a wedged replica would.
            var coordination = app.Services.GetRequiredService<IUploadCoordination>();
            await using (var held = await coordination.AcquireAsync(uploadId, TimeSpan.FromSeconds(1), CancellationToken.None))
            {
                using var patch = await Tus.PatchAsync(client, upload, 0, new byte[10]);
                Assert.Equal(HttpStatusCode.Locked, patch.StatusCode);
                Assert.True(held.HandOverRequested.IsCancellationRequested);
            }

            var after = await client.GetStringAsync(metrics, TestContext.Current.CancellationToken);
            var embedded = ("tus_backend", "embedded");
            Assert.Equal(1, Sample(after, "tus_lock_timeouts_total", embedded) - Sample(before, "tus_lock_timeouts_total", embedded));
            Assert.Equal(1, Sample(after, "tus_lock_handovers_total", embedded) - Sample(before, "tus_lock_handovers_total", embedded));
            Assert.Equal(1, Sample(after, "tus_lock_acquire_duration_seconds_count", ("outcome", "timeout"), embedded));
            Assert.Equal(0, Sample(after, "tus_lock_lost_total", embedded));
            Assert.Equal(1, Sample(after, "tus_patch_duration_seconds_count", ("http_response_status_code", "423")));
            await app.StopAsync(TestContext.Current.CancellationToken);
        }

        // A tracer provider listens to the whole process: spans of other tests' hosts arrive here too.
        var ours = receiver.Spans.Where(s => s.Attributes.GetValueOrDefault("tus.upload.id") == uploadId).ToList();
        var handOver = Assert.Single(ours, s => s.Name == "coordination.handover");
        Assert.Equal(uploadId, handOver.Attributes["tus.upload.id"]);
        var refused = Assert.Single(ours, s => s.Kind == 2 && s.Attributes.GetValueOrDefault("http.response.status_code") == "423");
        Assert.Contains(receiver.Spans, s => s.ParentSpanId == refused.SpanId && s.Name == "coordination.acquire");
    }
}
