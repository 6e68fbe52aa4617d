using TusCluster.Observability.Tests.Infrastructure;

namespace TusCluster.Observability.Tests;

public sealed class PromQlTests
{
    [Fact]
    public void Finds_only_metric_names()
    {
        var names = PromQl.MetricNames(
            "histogram_quantile(0.99, sum by (le, tus_backend) (rate(tus_lock_acquire_duration_seconds_bucket{outcome=\"acquired\"}[5m]))) > 1 "
            + "and on (instance, job) tus_sweeper_leader or 1 - (sum(rate(x_total{code!~\"5..\"}[1m])) / sum(up)) * 60");

        Assert.Equal(["tus_lock_acquire_duration_seconds_bucket", "tus_sweeper_leader", "up", "x_total"], names.Order(StringComparer.Ordinal));
    }
}
