using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TusCluster.Backends;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.LockBench;

/// <summary>
/// Acquire + release of an upload's lease through the same library the upload service uses, each on a
/// fresh upload id (as every PATCH of a real upload takes a lock nobody holds), from C concurrent loops.
/// </summary>
internal static class LockLatency
{
    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var iterations = arguments.Number("iterations", 2000);
        var concurrency = arguments.Number("concurrency", 1);
        await using var provider = Replica(arguments);
        var coordination = provider.GetRequiredService<IUploadCoordination>();

        // Warm-up: connections, JIT, the backend's own caches.
        await MeasureAsync(coordination, Math.Min(200, iterations), 1);
        var wall = Stopwatch.StartNew();
        var samples = await MeasureAsync(coordination, iterations, concurrency);
        wall.Stop();

        Array.Sort(samples);
        var result = new
        {
            provider = arguments.Configuration["Tus:Coordination:Provider"] ?? "Embedded",
            iterations,
            concurrency,
            p50Ms = Percentile(samples, 0.50),
            p99Ms = Percentile(samples, 0.99),
            maxMs = samples[^1],
            locksPerSecond = Math.Round(iterations / wall.Elapsed.TotalSeconds),
        };
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>One replica's services on the backend the arguments name, as the upload service would have them.</summary>
    internal static ServiceProvider Replica(BenchArguments arguments)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        BackendSelection.AddBackends(services, arguments.Configuration);
        return services.BuildServiceProvider();
    }

    private static async Task<double[]> MeasureAsync(IUploadCoordination coordination, int iterations, int concurrency)
    {
        var samples = new double[iterations];
        var next = -1;
        var loops = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < iterations)
            {
                var started = Stopwatch.GetTimestamp();
                var lease = await coordination.AcquireAsync(UploadId.New(), TimeSpan.FromSeconds(5), CancellationToken.None);
                await lease.DisposeAsync();
                samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }));
        await Task.WhenAll(loops);
        return samples;
    }

    internal static double Percentile(double[] sorted, double quantile) =>
        Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)], 3);
}
