using System.Globalization;
using TusCluster.SweeperBench;

// Usage: TusCluster.SweeperBench --backend Embedded|Redis|Etcd [--redis host:port] [--etcd http://host:port]
//          [--live 10000,100000] [--expired 1000] [--repeat 5]
// Every population is seeded first; then passes run interleaved (small, large, small, ...), so that
// load from other programs on the machine falls on both alike. Medians are reported.
var options = args.Chunk(2).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0].TrimStart('-'), pair => pair[1], StringComparer.OrdinalIgnoreCase);
var backend = options.GetValueOrDefault("backend", "Embedded");
var live = options.GetValueOrDefault("live", "10000,100000").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
var expired = int.Parse(options.GetValueOrDefault("expired", "1000"), CultureInfo.InvariantCulture);
var repeat = int.Parse(options.GetValueOrDefault("repeat", "5"), CultureInfo.InvariantCulture);

var benches = new List<SweepBench>();
var seeding = new List<TimeSpan>();
try
{
    foreach (var population in live)
    {
        var bench = new SweepBench(backend, options.GetValueOrDefault("redis"), options.GetValueOrDefault("etcd"));
        benches.Add(bench);
        seeding.Add(await bench.SeedLiveAsync(population));

        // One unmeasured pass: JIT, connection pools and caches warm up outside the samples.
        await bench.SeedExpiredAsync(Math.Min(expired, 100));
        await bench.PassAsync();
    }

    var samples = live.Select(_ => new List<double>()).ToArray();
    for (var round = 0; round < repeat; round++)
    {
        for (var i = 0; i < benches.Count; i++)
        {
            await benches[i].SeedExpiredAsync(expired);
            var report = await benches[i].PassAsync();
            if (report.Reclaimed != expired)
            {
                Console.Error.WriteLine($"A pass reclaimed {report.Reclaimed} uploads, expected {expired}.");
                return 1;
            }

            samples[i].Add(report.Duration.TotalSeconds);
        }
    }

    var medians = new List<double>();
    for (var i = 0; i < live.Length; i++)
    {
        var sorted = samples[i].Order().ToList();
        var median = sorted[sorted.Count / 2];
        medians.Add(median);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"backend={backend} live={live[i]} expired={expired} seed_live_s={seeding[i].TotalSeconds:F1} pass_s_median={median:F3} pass_s_samples={string.Join('/', samples[i].Select(s => s.ToString("F3", CultureInfo.InvariantCulture)))} per_upload_ms={median * 1000 / expired:F2}"));
    }

    if (medians.Count > 1)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"backend={backend} ratio_largest_to_smallest={medians[^1] / medians[0]:F2}"));
    }

    return 0;
}
finally
{
    foreach (var bench in benches)
    {
        await bench.DisposeAsync();
    }
}
