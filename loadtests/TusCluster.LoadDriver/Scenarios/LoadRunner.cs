using System.Diagnostics;
using TusCluster.LoadDriver.Commands;
using TusCluster.LoadDriver.Metrics;
using TusCluster.LoadDriver.Reporting;

namespace TusCluster.LoadDriver.Scenarios;

/// <summary>
/// Runs a scenario with --vus virtual users until --duration has passed or --iterations have been
/// started. Uploads in flight at the deadline are finished, not cut off, so every started upload is
/// counted as finished, abandoned (retries spent) or failed (not retryable), and none as a false error.
/// </summary>
internal static class LoadRunner
{
    /// <param name="time">What retry delays wait on; tests pass a clock that does not really wait.</param>
    public static async Task<RunSummary> RunAsync(RunSettings settings, TextWriter progress, TimeProvider time, CancellationToken cancellationToken)
    {
        using var http = CreateHttpClient(settings);
        var metrics = new RunMetrics();
        var client = new TusClient(http, new EndpointSelector(settings.Urls, settings.RandomEndpoint), metrics, settings.Timeout, settings.Retry, time);
        var scenario = ScenarioFactory.Create(settings.Scenario);
        var clock = Stopwatch.StartNew();
        long started = 0;

        using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progressTask = settings.Quiet ? Task.CompletedTask : ProgressReporter.RunAsync(progress, metrics, clock, stopProgress.Token);

        async Task VirtualUserAsync(int vu)
        {
            // Per-VU generator for sizes: reproducible with --seed, and no contention on a shared one.
            var random = new Random(unchecked((int)settings.Seed) ^ (vu * 7919));
            while (!cancellationToken.IsCancellationRequested)
            {
                if (settings.Duration is { } duration && clock.Elapsed >= duration)
                {
                    return;
                }

                var iteration = Interlocked.Increment(ref started) - 1;
                if (settings.Iterations is { } limit && iteration >= limit)
                {
                    return;
                }

                var context = new IterationContext(vu, iteration, client, settings, random);
                try
                {
                    await scenario.RunIterationAsync(context, cancellationToken);
                }
                catch (TusRequestException e)
                {
                    // The request was counted where it failed; the upload is counted here, once.
                    if (!context.Finished)
                    {
                        if (e.Retryable)
                        {
                            metrics.UploadAbandoned();
                        }
                        else
                        {
                            metrics.UploadFailed();
                        }
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    metrics.Error($"iteration {e.GetType().Name}");
                    if (!context.Finished)
                    {
                        metrics.UploadFailed();
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, settings.Vus).Select(vu => Task.Run(() => VirtualUserAsync(vu), CancellationToken.None)));
        var elapsed = clock.Elapsed;
        await stopProgress.CancelAsync();
        await progressTask;

        var summary = RunSummary.From(settings, metrics, elapsed, cancellationToken.IsCancellationRequested);
        return summary with { ThresholdFailures = ThresholdEvaluator.Evaluate(settings, summary) };
    }

    private static HttpClient CreateHttpClient(RunSettings settings)
    {
        var handler = new SocketsHttpHandler
        {
            // Every VU may hold a connection per partial upload; never let the pool queue requests and
            // so measure the driver instead of the server.
            MaxConnectionsPerServer = Math.Max(1024, settings.Vus * Math.Max(1, settings.Parts) * 2),

            // Re-resolve and re-balance now and then, so a balancer in front sees new connections.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = settings.Timeout,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };

        // Timeouts are per request (--timeout), including the body of a GET, so HttpClient's own is off.
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
