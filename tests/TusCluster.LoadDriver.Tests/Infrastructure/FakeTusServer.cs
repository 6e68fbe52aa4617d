using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TusCluster.LoadDriver.Tests.Infrastructure;

/// <summary>
/// A fake tus server, just enough of creation, PATCH, HEAD, GET and DELETE, that misbehaves in one
/// chosen way (<see cref="FakeTusServerFault"/>). It exists to prove the driver detects corruption and
/// loss and recovers from failed PATCHes and unavailable POSTs: the real service fails in none of these ways on demand, so
/// without a broken server the checks could be missing and every test still pass. Uploads live in
/// memory; only small test uploads go here.
/// </summary>
internal sealed class FakeTusServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, MemoryStream> _uploads = new(StringComparer.Ordinal);
    private readonly FakeTusServerFault _fault;
    private int _patches;
    private int _posts;
    private int _heads;

    private FakeTusServer(WebApplication app, FakeTusServerFault fault)
    {
        _app = app;
        _fault = fault;
    }

    public Uri FilesUrl { get; private set; } = new("http://127.0.0.1/files/");

    /// <summary>How many POSTs <see cref="FakeTusServerFault.UnavailablePosts"/> answers 503.</summary>
    public const int UnavailablePosts = 3;

    /// <summary>POSTs received, answered 503 or not.</summary>
    public int Posts => Volatile.Read(ref _posts);

    /// <summary>PATCHes received, answered 503 or not.</summary>
    public int Patches => Volatile.Read(ref _patches);

    /// <summary>HEADs received.</summary>
    public int Heads => Volatile.Read(ref _heads);

    public static async Task<FakeTusServer> StartAsync(FakeTusServerFault fault)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new FakeTusServer(builder.Build(), fault);
        server.Map();
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.FilesUrl = new Uri(new Uri(address), "/files/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (var upload in _uploads.Values)
        {
            await upload.DisposeAsync();
        }
    }

    private void Map()
    {
        _app.MapPost("/files/", async context =>
        {
            var post = Interlocked.Increment(ref _posts);
            if (_fault == FakeTusServerFault.AlwaysUnavailable || (_fault == FakeTusServerFault.UnavailablePosts && post <= UnavailablePosts))
            {
                context.Response.Headers.RetryAfter = _fault == FakeTusServerFault.AlwaysUnavailable ? "1" : "2";
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            var id = Guid.NewGuid().ToString("N");
            var data = new MemoryStream();
            _uploads[id] = data;
            await context.Request.Body.CopyToAsync(data);
            context.Response.Headers.Location = new Uri(FilesUrl, id).ToString();
            context.Response.Headers["Upload-Offset"] = data.Length.ToString(CultureInfo.InvariantCulture);
            context.Response.StatusCode = StatusCodes.Status201Created;
        });
        _app.MapMethods("/files/{id}", ["PATCH"], async (HttpContext context, string id) =>
        {
            var data = _uploads[id];
            var patch = Interlocked.Increment(ref _patches);
            if (_fault == FakeTusServerFault.UnavailablePatches)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            if (_fault == FakeTusServerFault.ForgetOnce && patch == 2)
            {
                data.SetLength(0);
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            if (_fault == FakeTusServerFault.FlakyPatches && patch % 2 == 1)
            {
                var half = new byte[(context.Request.ContentLength ?? 0) / 2];
                await context.Request.Body.ReadExactlyAsync(half);
                await data.WriteAsync(half);
                context.Response.Headers.RetryAfter = "0";
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            await context.Request.Body.CopyToAsync(data);
            context.Response.Headers["Upload-Offset"] = data.Length.ToString(CultureInfo.InvariantCulture);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        _app.MapMethods("/files/{id}", ["HEAD"], (HttpContext context, string id) =>
        {
            Interlocked.Increment(ref _heads);
            context.Response.Headers["Upload-Offset"] = _uploads[id].Length.ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        _app.MapGet("/files/{id}", async (HttpContext context, string id) =>
        {
            if (_fault == FakeTusServerFault.LoseUploads)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            var bytes = _uploads[id].ToArray();
            if (_fault == FakeTusServerFault.CorruptReads)
            {
                bytes[bytes.Length / 2] ^= 0x01;
            }

            await context.Response.Body.WriteAsync(bytes);
        });
        _app.MapDelete("/files/{id}", (HttpContext context, string id) =>
        {
            _uploads.TryRemove(id, out _);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
    }
}
