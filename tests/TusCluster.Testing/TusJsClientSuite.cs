using System.Diagnostics;
using System.Text.Json;

namespace TusCluster.Testing;

/// <summary>
/// Runs the tus-js-client scenarios of tests/js (node's test runner) against a files URL and returns
/// the runner's exit code and TAP report. <c>asRealClients</c>: with tus-js-client's default retries and
/// four times the time, for a cluster under load where a 503 or 423 is a legitimate answer to retry.
/// </summary>
public static class TusJsClientSuite
{
    public static async Task<(int ExitCode, string Report)> RunAsync(Uri filesUrl, bool asRealClients = false)
    {
        var suite = Path.Combine(RepositoryPaths.Root, "tests", "js");
        if (!Directory.Exists(Path.Combine(suite, "node_modules", "tus-js-client")))
        {
            throw new InvalidOperationException("tus-js-client is not installed: run 'npm ci' in tests/js (./test.sh does this).");
        }

        var node = new ProcessStartInfo("node")
        {
            WorkingDirectory = suite,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["TUS_ENDPOINT"] = filesUrl.ToString(), ["TUS_AS_REAL_CLIENTS"] = asRealClients ? "1" : "0" },
        };
        foreach (var argument in (string[])["--test", "--test-concurrency=1", "--test-reporter=tap"])
        {
            node.ArgumentList.Add(argument);
        }

        foreach (var scenario in Directory.EnumerateFiles(Path.Combine(suite, "scenarios"), "*.test.mjs").Order(StringComparer.Ordinal))
        {
            node.ArgumentList.Add(scenario);
        }

        using var process = Process.Start(node)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(asRealClients ? 12 : 3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await errors);
    }

    /// <summary>
    /// One tus-js-client upload (tests/js/hooks/upload-once.mjs) with the given headers and metadata;
    /// returns what the client saw: success and the upload URL, or the status and body of the refusal.
    /// </summary>
    public static Task<JsonElement> UploadOnceAsync(Uri filesUrl, IReadOnlyDictionary<string, string> headers, IReadOnlyDictionary<string, string> metadata, int size = 65536) =>
        NodeScript.RunAsync(
            Path.Combine("tests", "js", "hooks", "upload-once.mjs"),
            new Dictionary<string, string>
            {
                ["TUS_ENDPOINT"] = filesUrl.ToString(),
                ["TUS_HEADERS"] = JsonSerializer.Serialize(headers),
                ["TUS_METADATA"] = JsonSerializer.Serialize(metadata),
                ["TUS_SIZE"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            TimeSpan.FromMinutes(2));
}
