using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace TusCluster.FakeGcs;

/// <summary>
/// Resumable uploads as GCS runs them: POST starts a session (its URI in Location); each PUT carries
/// <c>Content-Range: bytes a-b/total</c> (total <c>*</c> while unknown); 308 with <c>Range</c> until the
/// last byte, then the object, installed only if the session's preconditions hold at that moment.
/// </summary>
internal sealed class ResumableSessions
{
    private readonly ConcurrentDictionary<string, ResumableSession> _sessions = new(StringComparer.Ordinal);

    public async Task StartAsync(HttpContext context, FakeGcsBuckets buckets, string bucket)
    {
        var resource = new ObjectResource(null, null, null);
        if (context.Request.ContentLength is not 0 && context.Request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            using var json = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            resource = ObjectResource.From(json.RootElement);
        }

        resource = resource with
        {
            Name = UploadEndpoints.RequireName(resource.Name ?? context.Request.Query["name"]),
            ContentType = resource.ContentType ?? context.Request.Headers["X-Upload-Content-Type"].FirstOrDefault(),
        };
        var preconditions = Preconditions.From(context.Request.Query);
        var id = Guid.NewGuid().ToString("N");
        _sessions[id] = new ResumableSession(bucket, resource, preconditions, buckets.NewReceived());
        var request = context.Request;
        context.Response.Headers.Location = $"{request.Scheme}://{request.Host}/upload/storage/v1/b/{bucket}/o?uploadType=resumable&upload_id={id}";
        context.Response.StatusCode = 200;
    }

    public async Task ContinueAsync(HttpContext context, FakeGcsBuckets buckets)
    {
        var id = context.Request.Query["upload_id"].ToString();
        if (!_sessions.TryGetValue(id, out var session))
        {
            throw new FakeGcsException(404, "notFound", "No such upload session.");
        }

        var (first, last, total) = ParseContentRange(context.Request.Headers.ContentRange.ToString());
        await session.Gate.WaitAsync(context.RequestAborted);
        try
        {
            var received = session.Received;
            if (first is { } start)
            {
                if (start > received.Size)
                {
                    throw FakeGcsException.BadRequest($"Content-Range starts at {start}, but {received.Size} bytes were received.");
                }

                // Bytes sent again after a lost answer: skip what the session already has.
                await StreamCopy.CopyAsync(context.Request.Body, Stream.Null, received.Size - start, context.RequestAborted);
                await received.AppendAsync(context.Request.Body, last!.Value - received.Size + 1, context.RequestAborted);
            }

            if (total is { } length && received.Size >= length)
            {
                if (received.Size != length)
                {
                    throw FakeGcsException.BadRequest($"Received {received.Size} bytes for an object of {length}.");
                }

                _sessions.TryRemove(id, out _);
                using (received)
                {
                    var stored = await UploadEndpoints.InstallAsync(buckets, session.Bucket, session.Resource.Name!, session.Resource, received, session.Preconditions);
                    await GcsJson.WriteAsync(context, 200, json => GcsJson.Object(json, stored));
                }

                return;
            }

            if (received.Size > 0)
            {
                context.Response.Headers.Range = $"bytes=0-{received.Size - 1}";
            }

            context.Response.StatusCode = 308;
        }
        finally
        {
            session.Gate.Release();
        }
    }

    public void Cancel(string id)
    {
        if (_sessions.TryRemove(id, out var session))
        {
            session.Received.Dispose();
        }
    }

    /// <summary><c>bytes a-b/total</c>, <c>bytes a-b/*</c>, <c>bytes */total</c> or <c>bytes */*</c>.</summary>
    private static (long? First, long? Last, long? Total) ParseContentRange(string header)
    {
        var slash = header.IndexOf('/', StringComparison.Ordinal);
        if (!header.StartsWith("bytes ", StringComparison.Ordinal) || slash < 6)
        {
            throw FakeGcsException.BadRequest($"Invalid Content-Range '{header}'.");
        }

        var range = header[6..slash];
        var total = header[(slash + 1)..] is var t && t != "*" ? Number(t) : (long?)null;
        if (range == "*")
        {
            return (null, null, total);
        }

        var dash = range.IndexOf('-', StringComparison.Ordinal);
        var (first, last) = dash > 0 ? (Number(range[..dash]), Number(range[(dash + 1)..])) : throw FakeGcsException.BadRequest($"Invalid Content-Range '{header}'.");
        return last < first ? throw FakeGcsException.BadRequest($"Invalid Content-Range '{header}'.") : (first, last, total);
    }

    private static long Number(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw FakeGcsException.BadRequest($"Invalid number '{text}' in Content-Range.");
}
