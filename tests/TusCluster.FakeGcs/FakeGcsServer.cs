using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace TusCluster.FakeGcs;

/// <summary>
/// A FAKE of Google Cloud Storage, for tests only: no GCS emulator runs here. It speaks the subset of the
/// GCS JSON API that Google.Cloud.Storage.V1 uses for what the GCS store needs (bucket get/insert; object
/// upload as resumable, multipart or media; metadata get/patch; media get with Range; delete; list by
/// prefix with page tokens; compose) and enforces what real GCS enforces and the store relies on:
/// generation and metageneration preconditions (412), at most 32 sources per compose, at most 1024
/// components per composite object, 404 for what does not exist. Objects live in files, not memory.
/// No authentication is checked.
/// </summary>
internal static partial class FakeGcsServer
{
    public static async Task HandleAsync(HttpContext context, FakeGcsBuckets buckets)
    {
        try
        {
            await DispatchAsync(context, buckets, RawSegments(context));
        }
        catch (FakeGcsException error) when (!context.Response.HasStarted)
        {
            await GcsJson.WriteAsync(context, error.Status, json => GcsJson.Error(json, error));
        }
        catch (JsonException e) when (!context.Response.HasStarted)
        {
            var error = FakeGcsException.BadRequest("Invalid JSON payload: " + e.Message);
            await GcsJson.WriteAsync(context, error.Status, json => GcsJson.Error(json, error));
        }
    }

    private static Task DispatchAsync(HttpContext context, FakeGcsBuckets buckets, string[] path)
    {
        var method = context.Request.Method;
        return path switch
        {
            ["storage", "v1", "b"] when method == "POST" => InsertBucketAsync(context, buckets),
            ["storage", "v1", "b", var bucket] when method == "GET" => GetBucketAsync(context, buckets, Bucket(bucket)),
            ["storage", "v1", "b", var bucket, "o"] when method == "GET" => ObjectEndpoints.ListAsync(context, buckets, Bucket(bucket)),
            ["storage", "v1", "b", var bucket, "o", var name, "compose"] when method == "POST" => ComposeEndpoint.ComposeAsync(context, buckets, Bucket(bucket), name),
            ["storage", "v1", "b", var bucket, "o", var name] => ObjectEndpoints.HandleAsync(context, buckets, Bucket(bucket), name),
            ["download", "storage", "v1", "b", var bucket, "o", var name] when method == "GET" => ObjectEndpoints.MediaAsync(context, buckets, Bucket(bucket), name),
            ["upload", "storage", "v1", "b", var bucket, "o"] => UploadEndpoints.HandleAsync(context, buckets, Bucket(bucket)),
            _ => throw new FakeGcsException(404, "notFound", $"The fake has no {method} {context.Request.Path}."),
        };
    }

    private static async Task InsertBucketAsync(HttpContext context, FakeGcsBuckets buckets)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var name = Bucket(body.RootElement.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty);
        if (!buckets.CreateBucket(name))
        {
            throw new FakeGcsException(409, "conflict", "Your previous request to create the named bucket succeeded and you already own it.");
        }

        await GcsJson.WriteAsync(context, 200, json => GcsJson.Bucket(json, name));
    }

    private static Task GetBucketAsync(HttpContext context, FakeGcsBuckets buckets, string bucket) =>
        buckets.BucketExists(bucket)
            ? GcsJson.WriteAsync(context, 200, json => GcsJson.Bucket(json, bucket))
            : throw FakeGcsException.NoSuchBucket(bucket);

    /// <summary>Bucket names become directory names, so only GCS's own bucket name shape gets through.</summary>
    private static string Bucket(string name) =>
        BucketName().IsMatch(name) ? name : throw FakeGcsException.BadRequest($"Invalid bucket name: '{name}'.");

    /// <summary>
    /// Path segments decoded one by one from the request target as sent, so that an object name's
    /// encoded slashes (%2F) stay inside its segment.
    /// </summary>
    private static string[] RawSegments(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? target : target[..query];
        return path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketName();
}
