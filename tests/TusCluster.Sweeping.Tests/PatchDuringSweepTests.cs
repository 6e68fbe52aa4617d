using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.Protocol.Coordination;
using TusCluster.UploadService.Hosting;

namespace TusCluster.Sweeping.Tests;

/// <summary>
/// A real PATCH through the real upload service is streaming when the upload's expiry passes and the
/// sweeper comes by: the writer hands over, commits what it has with a fresh expiry, and the sweeper
/// leaves the upload alone; the client finishes it.
/// </summary>
public sealed class PatchDuringSweepTests(CoordinationServers servers)
{
    private const int Size = 1_000_000;
    private const int FirstPart = 400_000;

    // Staged bytes the test waits for before the sweep, so the PATCH is mid-body: below FirstPart less
    // the bytes the file store may hold back to gather small reads into one write (up to 256 KiB).
    private const int FirstWrite = 128 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(SweepBackends.All), MemberType = typeof(SweepBackends))]
    public async Task An_upload_being_patched_while_its_expiry_passes_is_not_deleted(string backend)
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, backend);
        await using var service = UploadServiceHost.Build(
            [.. env.Arguments(), "--urls=http://127.0.0.1:0", "--Tus:Sweeper:Enabled=false", "--Logging:LogLevel:Default=Warning"],
            services =>
            {
                services.AddSingleton<TimeProvider>(env.Clock);
                if (backend == "Embedded")
                {
                    // One process, one embedded coordination: the service and the sweeper share it.
                    services.AddSingleton(env.Coordination);
                }
            });
        await service.StartAsync(Ct);
        var address = new Uri(service.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        var data = Enumerable.Range(0, Size).Select(i => (byte)(i * 7)).ToArray();

        using var create = Tus(HttpMethod.Post, "/files/");
        create.Headers.Add("Upload-Length", Size.ToString(CultureInfo.InvariantCulture));
        using var created = await client.SendAsync(create, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var upload = created.Headers.Location!;
        var id = upload.Segments[^1];

        var body = new GatedContent(data, FirstPart);
        using var patch = Tus(HttpMethod.Patch, upload.AbsolutePath);
        patch.Headers.Add("Upload-Offset", "0");
        patch.Content = body;
        var patching = client.SendAsync(patch, Ct);
        await StagedAsync(env, id);

        env.Clock.Advance(TimeSpan.FromHours(2));
        var report = await env.Pass.RunAsync(Ct);
        body.Open();
        await OutcomeAsync(patching);

        // As a tus client does after an interrupted PATCH, ask where the upload stands.
        using var head = Tus(HttpMethod.Head, upload.AbsolutePath);
        using var headed = await client.SendAsync(head, Ct);
        Assert.Equal(HttpStatusCode.OK, headed.StatusCode);
        var offset = long.Parse(headed.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
        Assert.Equal(0, report.Reclaimed);
        Assert.InRange(offset, FirstWrite, Size);
        Assert.True(env.HasBytes(id));
        Assert.True((await env.Coordination.GetAsync(id, Ct))?.ExpiresAt > env.Clock.GetUtcNow());

        if (offset < Size)
        {
            using var rest = Tus(HttpMethod.Patch, upload.AbsolutePath);
            rest.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
            rest.Content = new ByteArrayContent(data, (int)offset, Size - (int)offset);
            rest.Content.Headers.ContentType = new("application/offset+octet-stream");
            using var finished = await client.SendAsync(rest, Ct);
            Assert.Equal(HttpStatusCode.NoContent, finished.StatusCode);
        }

        Assert.Equal(data, await client.GetByteArrayAsync(upload, Ct));
        await service.StopAsync(Ct);
    }

    /// <summary>
    /// The interrupted PATCH answers 204 with the offset it committed; the server may close the
    /// connection while the client still sends, which the client sees as a failed request. Either is fine.
    /// </summary>
    private static async Task OutcomeAsync(Task<HttpResponseMessage> patching)
    {
        try
        {
            using var patched = await patching;
            Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
        }
        catch (HttpRequestException)
        {
            // The outcome is learnt with HEAD, as tus clients do.
        }
    }

    private static HttpRequestMessage Tus(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return request;
    }

    /// <summary>Waits until the PATCH holding the lease has written staged bytes (its lease is then surely held).</summary>
    private static async Task StagedAsync(SweepEnvironment env, string id)
    {
        var directory = Path.Combine(env.UploadsRoot, id);
        for (var i = 0; i < 400; i++)
        {
            if (Directory.Exists(directory) && Directory.EnumerateFiles(directory, "*.chunk").Any(f => new FileInfo(f).Length >= FirstWrite))
            {
                return;
            }

            await Task.Delay(25, Ct);
        }

        throw new TimeoutException($"The PATCH of {id} staged no {FirstWrite} bytes.");
    }
}
