
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
        await using var service = await TusServiceInstance.StartAsync();

        var (exitCode, report) = await TusJsClientSuite.RunAsync(service.FilesUrl);

        TestContext.Current.SendDiagnosticMessage(report);
        Assert.True(exitCode == 0, report);
        Assert.Contains("# fail 0", report, StringComparison.Ordinal);
        Assert.DoesNotContain("# pass 0", report, StringComparison.Ordinal);
    }
}
