using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.LockBench;

/// <summary>
/// Hand-over between two replicas (two coordination instances on the backend, as two processes would have): A holds
/// an upload and lets go as soon as it is asked; the figure is how long B's acquire takes, from its first try to the
/// lease (the request reaching A, A's release, the release reaching B).
/// </summary>
internal static class HandOverLatency
{
    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var iterations = arguments.Number("iterations", 200);
        await using var holderReplica = LockLatency.Replica(arguments);
        await using var newcomerReplica = LockLatency.Replica(arguments);
        var holder = holderReplica.GetRequiredService<IUploadCoordination>();
        var newcomer = newcomerReplica.GetRequiredService<IUploadCoordination>();

        // Warm-up: connections, subscriptions, JIT.
        await MeasureAsync(holder, newcomer, Math.Min(20, iterations));
        var samples = await MeasureAsync(holder, newcomer, iterations);

        Array.Sort(samples);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            provider = arguments.Configuration["Tus:Coordination:Provider"] ?? "Embedded",
            iterations,
            p50Ms = LockLatency.Percentile(samples, 0.50),
            maxMs = Math.Round(samples[^1], 3),
        }));
        return 0;
    }

    private static async Task<double[]> MeasureAsync(IUploadCoordination holder, IUploadCoordination newcomer, int iterations)
    {
        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var id = UploadId.New();
            var held = await holder.AcquireAsync(id, TimeSpan.FromSeconds(10), CancellationToken.None);
            await using var letGo = held.HandOverRequested.Register(() => _ = Task.Run(async () => await held.DisposeAsync()));

            // As a real PATCH, the holder has run a while when the newcomer comes: without this pause the loop runs in
            // step with a backend's hand-over poll (each round starts just after the poll that ended the last one) and
            // always measures nearly a whole poll interval instead of a random point in it.
            await Task.Delay(Random.Shared.Next(0, 250));
            var started = Stopwatch.GetTimestamp();
            var taken = await newcomer.AcquireAsync(id, TimeSpan.FromSeconds(10), CancellationToken.None);
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await taken.DisposeAsync();
        }

        return samples;
    }
}
