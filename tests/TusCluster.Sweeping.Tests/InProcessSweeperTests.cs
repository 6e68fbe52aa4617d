using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.UploadService.Hosting;

namespace TusCluster.Sweeping.Tests;

/// <summary>
/// The upload service with its in-process sweeper (on by default with embedded coordination): an
/// expired upload loses its bytes and answers 410, and 404 once its tombstone has aged out.
/// </summary>
public sealed class InProcessSweeperTests(CoordinationServers servers)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(SweepBackends.All), MemberType = typeof(SweepBackends))]
    public async Task An_expired_upload_is_reclaimed_by_the_upload_service_and_answers_410_then_404(string backend)
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, backend);
        string[] enable = backend == "Embedded" ? [] : ["--Tus:Sweeper:Enabled=true"];
        await using var service = UploadServiceHost.Build(
            [.. env.Arguments(), .. enable, "--urls=http://127.0.0.1:0", "--Tus:Sweeper:Interval=00:00:00.100", "--Logging:LogLevel:Default=Warning"],
            services => services.AddSingleton<TimeProvider>(env.Clock));
        await service.StartAsync(Ct);
        var address = new Uri(service.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var client = new HttpClient { BaseAddress = address };

        using var create = Request(HttpMethod.Post, "/files/");
        create.Headers.Add("Upload-Length", "100");
        using var created = await client.SendAsync(create, Ct);
        var upload = created.Headers.Location!.AbsolutePath;
        using var patch = Request(HttpMethod.Patch, upload);
        patch.Headers.Add("Upload-Offset", "0");
        patch.Content = new ByteArrayContent(new byte[40]);
        patch.Content.Headers.ContentType = new("application/offset+octet-stream");
        using var patched = await client.SendAsync(patch, Ct);
        Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
        var id = upload[(upload.LastIndexOf('/') + 1)..];
        Assert.True(env.HasBytes(id));

        env.Clock.Advance(TimeSpan.FromHours(2));
        await Eventually.HoldsAsync(() => !env.HasBytes(id), "the in-process sweeper to delete the bytes", Patience);
        Assert.Equal(HttpStatusCode.Gone, await StatusAsync(client, upload));
        Assert.Equal(HttpStatusCode.Gone, await StatusAsync(client, upload, HttpMethod.Delete));

        env.Clock.Advance(TimeSpan.FromDays(8));
        var deadline = DateTime.UtcNow + Patience;
        while (await StatusAsync(client, upload) != HttpStatusCode.NotFound)
        {
            Assert.True(DateTime.UtcNow < deadline, "The tombstone was never forgotten.");
            await Task.Delay(50, Ct);
        }

        await service.StopAsync(Ct);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string upload, HttpMethod? method = null)
    {
        using var request = Request(method ?? HttpMethod.Head, upload);
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private static HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return request;
    }
}
