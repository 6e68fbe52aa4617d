using System.Net;

namespace TusCluster.UploadService.Tests.Demo;

/// <summary>
/// The demo page (Tus:Demo:Enabled) in Debian's chromium driven by playwright-core (tests/browser): a file
/// uploaded through the page, the page reloaded mid-upload, the same file added again resumes, the
/// download equals the file.
/// </summary>
public sealed class DemoPageTests
{
    [Fact]
    public async Task A_page_reloaded_mid_upload_resumes_and_the_download_is_the_file()
    {
        await using var service = await TusServiceInstance.StartAsync(["--Tus:Demo:Enabled=true"]);

        var result = await NodeScript.RunAsync(
            Path.Combine("tests", "browser", "demo-resume.mjs"),
            new Dictionary<string, string> { ["DEMO_URL"] = service.BaseAddress.ToString() },
            TimeSpan.FromMinutes(4));

        TestContext.Current.SendDiagnosticMessage(result.ToString());
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        var size = result.GetProperty("size").GetInt64();
        var resent = result.GetProperty("bytesSentAfterReload").GetInt64();
        Assert.InRange(resent, 1, size - 1);
    }

    [Fact]
    public async Task The_page_is_off_by_default()
    {
        await using var service = await TusServiceInstance.StartAsync();

        using var page = await service.Client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
    }

    [Fact]
    public async Task The_page_is_bundled_and_served_from_this_origin_only()
    {
        await using var service = await TusServiceInstance.StartAsync(["--Tus:Demo:Enabled=true"]);

        var html = await service.Client.GetStringAsync(new Uri("/", UriKind.Relative));
        var script = await service.Client.GetStringAsync(new Uri("/demo/demo.js", UriKind.Relative));
        var config = await service.Client.GetStringAsync(new Uri("/demo/config.json", UriKind.Relative));

        // No CDN: every script and style the page loads is one of ours.
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.Contains("src=\"demo/demo.js\"", html, StringComparison.Ordinal);
        Assert.Contains("uppy", script, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("{\"endpoint\":\"/files/\"}", config);
    }

    [Fact]
    public async Task The_page_refuses_to_share_the_root_with_uploads()
    {
        using var data = new TemporaryDirectory();
        await using var service = ServiceProcess.Start(data.Path, "--Tus:Demo:Enabled=true", "--Tus:BasePath=/");

        Assert.Equal(2, await service.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Tus:Demo:Enabled", service.Output, StringComparison.Ordinal);
    }
}
