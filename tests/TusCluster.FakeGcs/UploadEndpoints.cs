using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace TusCluster.FakeGcs;

/// <summary>Object uploads: <c>uploadType=media</c>, <c>multipart</c> (metadata + bytes) and <c>resumable</c> (see <see cref="ResumableSessions"/>).</summary>
internal static class UploadEndpoints
{
    private static readonly ResumableSessions Sessions = new();

    public static async Task HandleAsync(HttpContext context, FakeGcsBuckets buckets, string bucket)
    {
        if (!buckets.BucketExists(bucket))
        {
            throw FakeGcsException.NoSuchBucket(bucket);
        }

        var request = context.Request;
        switch ((request.Method, request.Query["uploadType"].ToString()))
        {
            case ("POST", "resumable"):
                await Sessions.StartAsync(context, buckets, bucket);
                break;
            case ("PUT", "resumable"):
                await Sessions.ContinueAsync(context, buckets);
                break;
            case ("DELETE", "resumable"):
                Sessions.Cancel(request.Query["upload_id"].ToString());
                context.Response.StatusCode = 499;
                break;
            case ("POST", "multipart"):
                await MultipartAsync(context, buckets, bucket);
                break;
            case ("POST", "media"):
                var resource = new ObjectResource(request.Query["name"], request.ContentType, null);
                await StoreAsync(context, buckets, bucket, resource, request.Body);
                break;
            default:
                throw FakeGcsException.BadRequest($"Unsupported upload: {request.Method} uploadType={request.Query["uploadType"]}.");
        }
    }

    /// <summary>Receives a whole object in one request and installs it if the preconditions hold.</summary>
    public static async Task StoreAsync(HttpContext context, FakeGcsBuckets buckets, string bucket, ObjectResource resource, Stream body)
    {
        var name = RequireName(resource.Name);
        using var received = buckets.NewReceived();
        await received.AppendAsync(body, long.MaxValue, context.RequestAborted);
        var stored = await InstallAsync(buckets, bucket, name, resource, received, Preconditions.From(context.Request.Query));
        await GcsJson.WriteAsync(context, 200, json => GcsJson.Object(json, stored));
    }

    public static async Task<StoredObject> InstallAsync(FakeGcsBuckets buckets, string bucket, string name, ObjectResource resource, ReceivedBytes received, Preconditions preconditions)
    {
        var (md5, crc) = await received.FinishAsync();
        return buckets.Install(bucket, name, received, generation => StoredObject.New(bucket, name, generation, received.Size, resource, md5, crc, null), preconditions);
    }

    public static string RequireName(string? name) =>
        string.IsNullOrEmpty(name) || name.Length > 1024 || name.Contains('\r', StringComparison.Ordinal) || name.Contains('\n', StringComparison.Ordinal)
            ? throw FakeGcsException.BadRequest("Object name missing or invalid.")
            : name;

    private static async Task MultipartAsync(HttpContext context, FakeGcsBuckets buckets, string bucket)
    {
        var boundary = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) ? HeaderUtilities.RemoveQuotes(type.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary))
        {
            throw FakeGcsException.BadRequest("A multipart upload needs a multipart/related body with a boundary.");
        }

        var reader = new MultipartReader(boundary, context.Request.Body);
        var metadata = await reader.ReadNextSectionAsync(context.RequestAborted) ?? throw FakeGcsException.BadRequest("Missing metadata part.");
        using var json = await JsonDocument.ParseAsync(metadata.Body, cancellationToken: context.RequestAborted);
        var media = await reader.ReadNextSectionAsync(context.RequestAborted) ?? throw FakeGcsException.BadRequest("Missing media part.");
        var resource = ObjectResource.From(json.RootElement);
        resource = resource with { Name = resource.Name ?? context.Request.Query["name"], ContentType = resource.ContentType ?? media.ContentType };
        await StoreAsync(context, buckets, bucket, resource, media.Body);
    }
}
