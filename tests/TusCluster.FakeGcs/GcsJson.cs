using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace TusCluster.FakeGcs;

/// <summary>Writes answers the way GCS's JSON API does: objects, buckets, listings and errors (numbers as strings where GCS quotes them).</summary>
internal static class GcsJson
{
    public static Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            body(writer);
        }

        return context.Response.Body.WriteAsync(buffer.WrittenMemory).AsTask();
    }

    public static void Object(Utf8JsonWriter json, StoredObject o)
    {
        var id = $"{o.Bucket}/{o.Name}/{o.Generation}";
        json.WriteStartObject();
        json.WriteString("kind", "storage#object");
        json.WriteString("id", id);
        json.WriteString("name", o.Name);
        json.WriteString("bucket", o.Bucket);
        json.WriteString("generation", Text(o.Generation));
        json.WriteString("metageneration", Text(o.Metageneration));
        json.WriteString("contentType", o.ContentType);
        json.WriteString("storageClass", "STANDARD");
        json.WriteString("size", Text(o.Size));
        if (o.Md5Hash is not null)
        {
            json.WriteString("md5Hash", o.Md5Hash);
        }

        json.WriteString("crc32c", o.Crc32c);
        json.WriteString("etag", Convert.ToBase64String(BitConverter.GetBytes(o.Generation ^ o.Metageneration)));
        json.WriteString("timeCreated", o.Created.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        json.WriteString("updated", o.Updated.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        if (o.ComponentCount is { } components)
        {
            json.WriteNumber("componentCount", components);
        }

        if (o.Metadata.Count > 0)
        {
            json.WriteStartObject("metadata");
            foreach (var (key, value) in o.Metadata)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    public static void Bucket(Utf8JsonWriter json, string name)
    {
        json.WriteStartObject();
        json.WriteString("kind", "storage#bucket");
        json.WriteString("id", name);
        json.WriteString("name", name);
        json.WriteString("projectNumber", "0");
        json.WriteString("metageneration", "1");
        json.WriteString("location", "US");
        json.WriteString("storageClass", "STANDARD");
        json.WriteString("etag", "CAE=");
        json.WriteEndObject();
    }

    public static void Error(Utf8JsonWriter json, FakeGcsException error)
    {
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteNumber("code", error.Status);
        json.WriteString("message", error.Message);
        json.WriteStartArray("errors");
        json.WriteStartObject();
        json.WriteString("message", error.Message);
        json.WriteString("domain", "global");
        json.WriteString("reason", error.Reason);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
