using TusCluster.Observability.Metrics;

namespace TusCluster.Observability.Tests;

public sealed class PrometheusNamingTests
{
    [Theory]
    [InlineData("tus.lock.acquire.duration", "s", "Histogram", false, "tus_lock_acquire_duration_seconds")]
    [InlineData("tus.uploads.created", "{upload}", "Counter", true, "tus_uploads_created_total")]
    [InlineData("tus.received", "By", "Counter", true, "tus_received_bytes_total")]
    [InlineData("tus.sweeper.leader", null, "Gauge", false, "tus_sweeper_leader")]
    [InlineData("dotnet.gc.heap.total_allocated", "By", "Counter", true, "dotnet_gc_heap_total_allocated_bytes_total")]
    [InlineData("http.server.request.duration", "s", "Histogram", false, "http_server_request_duration_seconds")]
    [InlineData("kestrel.active_connections", "{connection}", "Gauge", false, "kestrel_active_connections")]
    [InlineData("net.throughput", "By/s", "Gauge", false, "net_throughput_bytes_per_second")]
    [InlineData("rate", "{request}/s", "Gauge", false, "rate_per_second")]
    [InlineData("cpu.utilization", "1", "Gauge", false, "cpu_utilization_ratio")]
    [InlineData("3d-model.size", "By", "Gauge", false, "_3d_model_size_bytes")]
    public void Maps_names_and_units(string name, string? unit, string kind, bool isCounter, string expected) =>
        Assert.Equal(expected, PrometheusNaming.MetricName(name, unit, Enum.Parse<MetricKind>(kind), isCounter));
}
