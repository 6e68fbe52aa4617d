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
/// A fake tus server, just enough of creation, PATCH, HEAD, GET and DELETE, that flips one byte of
/// every upload it serves back (or, with <c>loseUploads</c>, answers every GET with 404). It exists to
/// prove the driver detects corruption and loss: the real service does neither, so without a broken
/// server the checks could be missing and every test still pass. Uploads live in memory; only small
/// test uploads go here.
/// </summary>
internal sealed class FakeCorruptingTusServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, MemoryStream> _uploads = new(StringComparer.Ordinal);

    private readonly bool _loseUploads;

    private FakeCorruptingTusServer(WebApplication app, bool loseUploads)
    {
        _app = app;
        _loseUploads = loseUploads;
    }

    public Uri FilesUrl { get; private set; } = new("http://127.0.0.1/files/");

    public static async Task<FakeCorruptingTusServer> StartAsync(bool loseUploads = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new FakeCorruptingTusServer(builder.Build(), loseUploads);
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
            await context.Request.Body.CopyToAsync(data);
            context.Response.Headers["Upload-Offset"] = data.Length.ToString(CultureInfo.InvariantCulture);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        _app.MapMethods("/files/{id}", ["HEAD"], (HttpContext context, string id) =>
        {
            context.Response.Headers["Upload-Offset"] = _uploads[id].Length.ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        _app.MapGet("/files/{id}", async (HttpContext context, string id) =>
        {
            if (_loseUploads)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            var bytes = _uploads[id].ToArray();
            bytes[bytes.Length / 2] ^= 0x01;
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
