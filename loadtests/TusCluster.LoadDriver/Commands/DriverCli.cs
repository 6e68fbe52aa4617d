using System.CommandLine;

namespace TusCluster.LoadDriver.Commands;

/// <summary>
/// The command line: `run` and `compare`. Exit codes are the driver's own (see <see cref="ExitCodes"/>)
/// rather than System.CommandLine's, which uses 1 for parse errors, the code CI reads as "too slow".
/// </summary>
internal static class DriverCli
{
    /// <param name="time">What retry delays wait on (<see cref="TimeProvider.System"/> unless a test passes its own).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        var runOptions = new DriverOptions(withPeer: false);
        var run = new Command("run", "Run a scenario against a tus server and verify every upload");
        runOptions.AddTo(run);
        run.SetAction((parse, token) => Guard(error, () => RunCommandHandler.ExecuteAsync(runOptions.Read(parse), output, time, token)));

        var compareOptions = new DriverOptions(withPeer: true);
        var compare = new Command("compare", "Run a scenario against --url (A), then --peer-url (B), and print the ratios A/B");
        compareOptions.AddTo(compare);
        compare.SetAction((parse, token) => Guard(error, () => CompareCommandHandler.ExecuteAsync(compareOptions.Read(parse), compareOptions.ReadPeer(parse), output, time, token)));

        var root = new RootCommand("Load driver for tus 1.0 servers: scenarios, latency percentiles, and a SHA-256 check of every upload") { run, compare };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                await error.WriteLineAsync("error: " + parseError.Message);
            }

            await error.WriteLineAsync("See --help.");
            return ExitCodes.BadArguments;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, cancellationToken);
    }

    private static async Task<int> Guard(TextWriter error, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync("error: " + e.Message);
            return ExitCodes.BadArguments;
        }
    }
}
