using System.Diagnostics.Metrics;
using TusCluster.Observability.Metrics;

namespace TusCluster.Observability.Tests;

public sealed class PrometheusExpositionTests : IDisposable
{
    private readonly Meter _meter = new("TusCluster.Test." + Guid.NewGuid().ToString("N"));
    private readonly PrometheusExposition _exposition;

    public PrometheusExpositionTests()
    {
        _exposition = new PrometheusExposition(m => m == _meter);
    }

    [Fact]
    public void Counter_gets_total_and_drops_annotation_units()
    {
        var counter = _meter.CreateCounter<long>("tus.uploads.created", "{upload}", "Uploads created.");
        counter.Add(2, new KeyValuePair<string, object?>("tus.upload.kind", "regular"));
        counter.Add(3, new KeyValuePair<string, object?>("tus.upload.kind", "regular"));

        var text = _exposition.Collect();

        Assert.Contains("# HELP tus_uploads_created_total Uploads created.\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE tus_uploads_created_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("tus_uploads_created_total{tus_upload_kind=\"regular\"} 5\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Units_become_suffixes_once()
    {
        _meter.CreateCounter<long>("tus.received", "By").Add(10);
        _meter.CreateCounter<long>("tus.sweeper.bytes.reclaimed", "By").Add(1);
        _meter.CreateHistogram<double>("tus.patch.duration", "s").Record(0.2);
        _meter.CreateCounter<long>("requests.total").Add(1);

        var text = _exposition.Collect();

        Assert.Contains("\ntus_received_bytes_total 10\n", "\n" + text, StringComparison.Ordinal);
        Assert.Contains("\ntus_sweeper_bytes_reclaimed_total 1\n", "\n" + text, StringComparison.Ordinal);
        Assert.Contains("# TYPE tus_patch_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("\nrequests_total 1\n", "\n" + text, StringComparison.Ordinal);
        Assert.DoesNotContain("requests_total_total", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Gauges_have_no_total_and_updown_counters_accumulate()
    {
        var active = _meter.CreateUpDownCounter<long>("tus.uploads.active", "{upload}");
        active.Add(3);
        active.Add(-1);
        _meter.CreateObservableGauge("tus.sweeper.lag", () => 1.5, "s");
        _meter.CreateObservableGauge("tus.cache.hit", () => 0.25, "1");

        var text = _exposition.Collect();

        Assert.Contains("# TYPE tus_uploads_active gauge\ntus_uploads_active 2\n", text, StringComparison.Ordinal);
        Assert.Contains("tus_sweeper_lag_seconds 1.5\n", text, StringComparison.Ordinal);
        Assert.Contains("tus_cache_hit_ratio 0.25\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Histogram_buckets_are_cumulative_with_inf_sum_and_count()
    {
        var histogram = _meter.CreateHistogram(
            "op.duration",
            "s",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1, 10] });
        foreach (var value in new[] { 0.05, 0.1, 0.5, 5, 50 })
        {
            histogram.Record(value, new KeyValuePair<string, object?>("op", "x"));
        }

        var text = _exposition.Collect();

        Assert.Contains(
            "op_duration_seconds_bucket{op=\"x\",le=\"0.1\"} 2\n"
            + "op_duration_seconds_bucket{op=\"x\",le=\"1\"} 3\n"
            + "op_duration_seconds_bucket{op=\"x\",le=\"10\"} 4\n"
            + "op_duration_seconds_bucket{op=\"x\",le=\"+Inf\"} 5\n"
            + "op_duration_seconds_sum{op=\"x\"} 55.65\n"
            + "op_duration_seconds_count{op=\"x\"} 5\n",
            text,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Label_values_and_help_are_escaped_and_label_names_sanitized()
    {
        var counter = _meter.CreateCounter<long>("odd", description: "a \\ b\nc");
        counter.Add(1, new KeyValuePair<string, object?>("path.name-x", "a\"b\\c\nd"));

        var text = _exposition.Collect();

        Assert.Contains("# HELP odd_total a \\\\ b\\nc\n", text, StringComparison.Ordinal);
        Assert.Contains("odd_total{path_name_x=\"a\\\"b\\\\c\\nd\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_are_sorted_and_one_series_per_label_set_whatever_the_tag_order()
    {
        var counter = _meter.CreateCounter<long>("ordered");
        counter.Add(1, new("b", "2"), new("a", "1"));
        counter.Add(1, new("a", "1"), new("b", "2"));

        var text = _exposition.Collect();

        Assert.Contains("ordered_total{a=\"1\",b=\"2\"} 2\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), l => l.StartsWith("ordered_total{", StringComparison.Ordinal));
    }

    [Fact]
    public void A_counter_without_events_is_shown_at_zero_until_its_first_event()
    {
        var errors = _meter.CreateCounter<long>("tus.sweeper.errors");
        Assert.Contains("\ntus_sweeper_errors_total 0\n", "\n" + _exposition.Collect(), StringComparison.Ordinal);

        errors.Add(1, new KeyValuePair<string, object?>("stage", "read"));
        var text = _exposition.Collect();

        Assert.Contains("tus_sweeper_errors_total{stage=\"read\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\ntus_sweeper_errors_total 0\n", "\n" + text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_sample_line_is_valid_text_format()
    {
        _meter.CreateCounter<double>("a.b", "ms").Add(1.25, new KeyValuePair<string, object?>("k", 3));
        _meter.CreateHistogram<long>("c", "By").Record(2048);
        _meter.CreateObservableGauge("g", () => double.NaN);

        var lines = _exposition.Collect().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var sample = new System.Text.RegularExpressions.Regex(
            "^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*\\})? (\\+Inf|-Inf|NaN|-?[0-9.eE+-]+)$");
        Assert.All(lines.Where(l => !l.StartsWith('#')), line => Assert.Matches(sample, line));
        Assert.Contains("a_b_milliseconds_total{k=\"3\"} 1.25", lines);
        Assert.Contains("c_bytes_bucket{le=\"1024\"} 0", lines);
        Assert.Contains("c_bytes_bucket{le=\"16384\"} 1", lines);
        Assert.Contains("g NaN", lines);
    }

    public void Dispose()
    {
        _exposition.Dispose();
        _meter.Dispose();
    }
}
