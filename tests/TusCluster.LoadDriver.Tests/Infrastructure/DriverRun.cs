using System.Text.Json;
using TusCluster.LoadDriver.Commands;

namespace TusCluster.LoadDriver.Tests.Infrastructure;

/// <summary>
/// Runs the driver's command line in-process (same entry as Program.cs, minus the console), capturing
/// its output, exit code and --json summary.
/// </summary>
internal sealed record DriverRun(int ExitCode, string Output, string Error, JsonElement? Json)
{
    public static Task<DriverRun> RunAsync(params string[] args) => RunAsync(TimeProvider.System, args);

    /// <param name="time">What the driver's retry delays wait on (a <see cref="FastForwardTimeProvider"/> to not wait).</param>
    public static async Task<DriverRun> RunAsync(TimeProvider time, params string[] args)
    {
        var json = Path.Combine(Path.GetTempPath(), "loaddriver-" + Guid.NewGuid().ToString("N") + ".json");
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var withJson = args.Length > 0 && args[0] is "run" or "compare" ? [.. args, "--json", json] : args;
        var exitCode = await DriverCli.RunAsync(withJson, output, error, time, timeout.Token);
        JsonElement? summary = null;
        if (File.Exists(json))
        {
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            summary = document.RootElement.Clone();
            File.Delete(json);
        }

        return new DriverRun(exitCode, output.ToString(), error.ToString(), summary);
    }

    public JsonElement Summary => Json ?? throw new InvalidOperationException($"no JSON summary (exit {ExitCode}):\n{Output}\n{Error}");

    public long Long(string name) => Summary.GetProperty(name).GetInt64();

    public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
}
