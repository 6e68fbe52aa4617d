using System.Diagnostics;
using TusCluster.UploadService.Tests.Infrastructure;

namespace TusCluster.UploadService.Tests.Clients;

/// <summary>
/// The real tus-js-client from npm against the running service: upload, interrupt and resume,
/// concurrency, parallel uploads (concatenation), deferred length, termination, ranged download.
/// The scenarios live in tests/js/scenarios; each verifies the bytes it reads back by SHA-256.
/// </summary>
public sealed class TusJsClientTests
{
    [Fact]
    public async Task Every_tus_js_client_scenario_passes_against_the_service()
    {
        var suite = Path.Combine(RepositoryPaths.Root, "tests", "js");
        Assert.True(Directory.Exists(Path.Combine(suite, "node_modules", "tus-js-client")),
            "tus-js-client is not installed: run 'npm ci' in tests/js (./test.sh does this).");
        await using var service = await TusServiceInstance.StartAsync();

        var node = new ProcessStartInfo("node")
        {
            WorkingDirectory = suite,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["TUS_ENDPOINT"] = service.FilesUrl.ToString() },
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
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var report = await output + await errors;
        TestContext.Current.SendDiagnosticMessage(report);
        Assert.True(process.ExitCode == 0, report);
        Assert.Contains("# fail 0", report, StringComparison.Ordinal);
        Assert.DoesNotContain("# pass 0", report, StringComparison.Ordinal);
    }
}
