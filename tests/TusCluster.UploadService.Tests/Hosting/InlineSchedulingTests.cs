using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.UploadService.Hosting;

namespace TusCluster.UploadService.Tests.Hosting;

public sealed class InlineSchedulingTests
{
    // The runtime names its socket engine threads so; it starts one per core when completions are inline
    // and, below 30-odd cores, a single one otherwise.
    private const string SocketEngineThread = ".NET Sockets";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Kestrel_runs_request_code_on_its_socket_threads_only_when_asked(bool inline)
    {
        using var data = new TemporaryDirectory();
        var previous = Environment.GetEnvironmentVariable(InlineSocketScheduling.RuntimeVariable);
        try
        {
            await using var app = UploadServiceHost.Build([$"--Tus:Server:InlineScheduling={inline}", .. Arguments(data.Path)]);

            Assert.Equal(inline, app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
            Assert.Equal(inline ? "1" : previous, Environment.GetEnvironmentVariable(InlineSocketScheduling.RuntimeVariable));
        }
        finally
        {
            // Building the host set it in this test process: it must not leak into other tests' child processes.
            Environment.SetEnvironmentVariable(InlineSocketScheduling.RuntimeVariable, previous);
        }
    }

    [Fact]
    public async Task Socket_completions_run_inline_and_concurrent_uploads_arrive_intact()
    {
        using var data = new TemporaryDirectory();
        var fourCores = new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = "4" };
        await using var inline = ServiceProcess.Start(data.Path, fourCores, "--Tus:Server:InlineScheduling=true", "--Tus:Server:ReceiveBlockSize=1048576");
        using var otherData = new TemporaryDirectory();
        // Explicitly off, whatever this process's environment says (a run of the whole suite with the option on).
        var fourCoresPooled = new Dictionary<string, string>(fourCores) { [InlineSocketScheduling.RuntimeVariable] = "0" };
        await using var pooled = ServiceProcess.Start(otherData.Path, fourCoresPooled, "--Tus:Server:InlineScheduling=false");
        await inline.WaitUntilReadyAsync();
        await pooled.WaitUntilReadyAsync();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var bodies = Enumerable.Range(0, 3).Select(i => RandomNumberGenerator.GetBytes((8 * 1024 * 1024) + i)).ToArray();

        var uploads = await Task.WhenAll(bodies.Select(async body =>
        {
            var upload = await Tus.CreateAsync(client, inline.FilesUrl, body.Length);
            using var patch = await Tus.PatchAsync(client, upload, 0, body);
            Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
            return upload;
        }));
        // The control server serves a request too, so that its socket engine threads exist when counted.
        await Tus.CreateAsync(client, pooled.FilesUrl, 1);

        for (var i = 0; i < bodies.Length; i++)
        {
            Assert.Equal(bodies[i], await client.GetByteArrayAsync(uploads[i], TestContext.Current.CancellationToken));
        }

        // Set from configuration inside the process, the runtime's switch was read in time: one engine per core.
        Assert.Equal(4, SocketEngineThreads(inline.Id));
        Assert.True(SocketEngineThreads(pooled.Id) < 4, $"{SocketEngineThreads(pooled.Id)} socket engine threads without the option");
    }

    private static int SocketEngineThreads(int pid) =>
        Directory.EnumerateDirectories($"/proc/{pid}/task")
            .Count(task => File.Exists($"{task}/comm") && File.ReadAllText($"{task}/comm").Trim() == SocketEngineThread);

    private static string[] Arguments(string data) =>
        ["--urls=http://127.0.0.1:0", $"--Tus:Storage:FileSystem:Root={data}/uploads", $"--Tus:Coordination:Embedded:Directory={data}/meta"];
}
