using TusCluster.LockBench;

// Usage:
//   locks   --iterations N --concurrency C [--Tus:Coordination:...]   acquire+release latency, JSON on stdout
//   handover --iterations N [--Tus:Coordination:...]                 hand-over latency between two replicas, JSON on stdout
//   create  --url U --count K --out FILE                              K uploads of 2 bytes, ids to FILE
//   patch   --url U --ids FILE                                        one non-final 1-byte PATCH per id
// The round trips of a PATCH are counted at the backend server by loadtests/bench-coordination.sh,
// around the `patch` step.
var command = args.Length > 0 ? args[0] : string.Empty;
var options = BenchArguments.Parse(args.Skip(1).ToArray());
try
{
    return command switch
    {
        "locks" => await LockLatency.RunAsync(options),
        "handover" => await HandOverLatency.RunAsync(options),
        "create" => await PatchRoundTrips.CreateAsync(options),
        "patch" => await PatchRoundTrips.PatchAsync(options),
        _ => Usage(),
    };
}
catch (BenchArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("usage: TusCluster.LockBench locks|handover|create|patch [options] (see Program.cs)");
    return 2;
}
