using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace TusCluster.FakeGcs;

/// <summary>One object's metadata (get, patch), media (get with Range), delete; and listings by prefix.</summary>
internal static class ObjectEndpoints
{
    private const int MaxResults = 1000;

    public static async Task HandleAsync(HttpContext context, FakeGcsBuckets buckets, string bucket, string name)
    {
        var query = context.Request.Query;
        var generation = Generation(query);
        switch (context.Request.Method)
        {
            case "GET" when query["alt"] == "media":
                await MediaAsync(context, buckets, bucket, name);
                break;
            case "GET":
                var stored = buckets.Get(bucket, name, generation);
                Preconditions.From(query).Check(stored, bucket, name);
                await GcsJson.WriteAsync(context, 200, json => GcsJson.Object(json, stored));
                break;
            case "DELETE":
                buckets.Delete(bucket, name, generation, Preconditions.From(query));
                context.Response.StatusCode = 204;
                break;
            case "PATCH":
                using (var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))
                {
                    var patch = ObjectResource.From(body.RootElement);
                    var updated = buckets.Update(bucket, name, Preconditions.From(query), current => current with
                    {
                        ContentType = patch.ContentType ?? current.ContentType,
                        Metadata = patch.Metadata ?? current.Metadata,
                    });
                    await GcsJson.WriteAsync(context, 200, json => GcsJson.Object(json, updated));
                }

                break;
            default:
                throw new FakeGcsException(405, "methodNotAllowed", $"{context.Request.Method} is not supported on an object.");
        }
    }

    public static async Task MediaAsync(HttpContext context, FakeGcsBuckets buckets, string bucket, string name)
    {
        var stored = buckets.Get(bucket, name, Generation(context.Request.Query));
        Preconditions.From(context.Request.Query).Check(stored, bucket, name);
        await using var data = buckets.OpenData(stored);
        var response = context.Response;
        response.Headers["x-goog-generation"] = GcsJson.Text(stored.Generation);
        response.Headers["x-goog-metageneration"] = GcsJson.Text(stored.Metageneration);
        response.Headers["x-goog-stored-content-length"] = GcsJson.Text(stored.Size);
        response.ContentType = stored.ContentType;
        var (start, length) = (0L, stored.Size);
        if (context.Request.Headers.Range.ToString() is { Length: > 0 } range)
        {
            if (!TryParseRange(range, stored.Size, out start, out length))
            {
                response.Headers.ContentRange = $"bytes */{stored.Size}";
                throw new FakeGcsException(416, "requestedRangeNotSatisfiable", "The requested range cannot be satisfied.");
            }

            response.StatusCode = 206;
            response.Headers.ContentRange = $"bytes {start}-{start + length - 1}/{stored.Size}";
        }
        else
        {
            // Only a whole object's hashes describe the bytes sent; the client checks them.
            response.Headers["x-goog-hash"] = stored.Md5Hash is null ? $"crc32c={stored.Crc32c}" : $"crc32c={stored.Crc32c},md5={stored.Md5Hash}";
        }

        response.ContentLength = length;
        data.Seek(start, SeekOrigin.Begin);
        await StreamCopy.CopyAsync(data, response.Body, length, context.RequestAborted);
    }

    public static async Task ListAsync(HttpContext context, FakeGcsBuckets buckets, string bucket)
    {
        var query = context.Request.Query;
        var prefix = query["prefix"].ToString();
        var limit = int.TryParse(query["maxResults"], NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max > 0 ? Math.Min(max, MaxResults) : MaxResults;
        var after = query["pageToken"].ToString() is { Length: > 0 } token ? Encoding.UTF8.GetString(Convert.FromBase64String(token)) : null;
        var page = buckets.List(bucket, prefix, after, limit + 1);
        await GcsJson.WriteAsync(context, 200, json =>
        {
            json.WriteStartObject();
            json.WriteString("kind", "storage#objects");
            json.WriteStartArray("items");
            foreach (var item in page.Take(limit))
            {
                GcsJson.Object(json, item);
            }

            json.WriteEndArray();
            if (page.Count > limit)
            {
                json.WriteString("nextPageToken", Convert.ToBase64String(Encoding.UTF8.GetBytes(page[limit - 1].Name)));
            }

            json.WriteEndObject();
        });
    }

    private static long? Generation(IQueryCollection query) =>
        long.TryParse(query["generation"], NumberStyles.None, CultureInfo.InvariantCulture, out var generation) ? generation : null;

    private static bool TryParseRange(string header, long size, out long start, out long length)
    {
        start = length = 0;
        if (!header.StartsWith("bytes=", StringComparison.Ordinal) || header.Contains(',', StringComparison.Ordinal))
        {
            return false;
        }

        var spec = header[6..].Split('-');
        if (spec.Length != 2)
        {
            return false;
        }

        if (spec[0].Length == 0)
        {
            var suffix = long.Parse(spec[1], CultureInfo.InvariantCulture);
            start = Math.Max(0, size - suffix);
        }
        else
        {
            start = long.Parse(spec[0], CultureInfo.InvariantCulture);
        }

        var end = spec[0].Length == 0 || spec[1].Length == 0 ? size - 1 : Math.Min(size - 1, long.Parse(spec[1], CultureInfo.InvariantCulture));
        length = end - start + 1;
        return start < size && length > 0;
    }
}
