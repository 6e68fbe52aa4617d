using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace TusCluster.Sweeping.Tests;

/// <summary>The meter TusCluster.Sweeper reports what a pass reclaimed, by policy.</summary>
public sealed class SweeperMetricsTests(CoordinationServers servers)
{
    [Fact]
    public async Task A_pass_counts_reclaimed_uploads_and_bytes_by_policy_and_records_its_duration()
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, "Embedded");
        var factory = env.Services.GetRequiredService<IMeterFactory>();
        var measurements = new List<(string Instrument, double Value, string? Policy)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SweeperMetrics.MeterName && instrument.Meter.Scope == factory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i.Name, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i.Name, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i.Name, v, tags));
        listener.Start();
        await env.SeedAsync(123, env.Clock.GetUtcNow().AddMinutes(-1));
        await env.SeedAsync(77, env.Clock.GetUtcNow().AddMinutes(-1), Protocol.Uploads.UploadStatus.Terminated);
        await env.SeedAsync(55, env.Clock.GetUtcNow().AddMinutes(-1), complete: true);

        await env.Pass.RunAsync(TestContext.Current.CancellationToken);
        listener.RecordObservableInstruments();

        lock (measurements)
        {
            Assert.Contains(("tus.sweeper.uploads.expired", 1d, "expired"), measurements);
            Assert.Contains(("tus.sweeper.uploads.expired", 1d, "tombstone"), measurements);
            Assert.Contains(("tus.sweeper.reclaimed", 123d, "expired"), measurements);
            Assert.Contains(("tus.sweeper.uploads.finished_stranded", 1d, null), measurements);
            Assert.DoesNotContain(("tus.sweeper.reclaimed", 55d, "expired"), measurements);
            Assert.Single(measurements, m => m.Instrument == "tus.sweeper.pass.duration");
            Assert.Contains(("tus.sweeper.lag", 0d, null), measurements);
            Assert.Contains(("tus.sweeper.leader", 0d, null), measurements);
        }

        void Record(string name, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? policy = null;
            foreach (var tag in tags)
            {
                policy = tag.Key == "policy" ? tag.Value as string : policy;
            }

            lock (measurements)
            {
                measurements.Add((name, value, policy));
            }
        }
    }
}
