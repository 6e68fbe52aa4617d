using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace TusCluster.FakeGcs;

/// <summary>
/// Compose as GCS does it: 1 to 32 source objects of the same bucket, each optionally pinned to a
/// generation and guarded by <c>objectPreconditions.ifGenerationMatch</c>; the result may count at most
/// 1024 components; the destination's own preconditions come from the query.
/// </summary>
internal static class ComposeEndpoint
{
    public const int MaxSources = 32;
    public const int MaxComponents = 1024;

    public static async Task ComposeAsync(HttpContext context, FakeGcsBuckets buckets, string bucket, string name)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var root = body.RootElement;
        var sources = root.TryGetProperty("sourceObjects", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : [];
        if (sources.Count is 0 or > MaxSources)
        {
            throw FakeGcsException.BadRequest($"The number of source components provided ({sources.Count}) must be between 1 and {MaxSources}.");
        }

        var components = new List<StoredObject>();
        foreach (var source in sources)
        {
            var sourceName = source.TryGetProperty("name", out var n) ? n.GetString() : null;
            var stored = buckets.Get(bucket, UploadEndpoints.RequireName(sourceName), Long(source, "generation"));
            if (source.TryGetProperty("objectPreconditions", out var pre) && Long(pre, "ifGenerationMatch") is { } expected && expected != stored.Generation)
            {
                throw new FakeGcsException(412, "conditionNotMet", $"Source {sourceName} does not have generation {expected}.");
            }

            components.Add(stored);
        }

        var count = components.Sum(c => c.Components);
        if (count > MaxComponents)
        {
            throw FakeGcsException.BadRequest($"The number of components in the composite object ({count}) would exceed the maximum of {MaxComponents}.");
        }

        var destination = ObjectResource.From(root.TryGetProperty("destination", out var d) ? d : default);
        using var received = buckets.NewReceived();
        foreach (var component in components)
        {
            await using var data = buckets.OpenData(component);
            await received.AppendAsync(data, component.Size, context.RequestAborted);
        }

        var (_, crc) = await received.FinishAsync();
        // Real GCS has no MD5 for composite objects.
        var composed = buckets.Install(
            bucket, name, received, generation => StoredObject.New(bucket, name, generation, received.Size, destination, null, crc, count), Preconditions.From(context.Request.Query));
        await GcsJson.WriteAsync(context, 200, json => GcsJson.Object(json, composed));
    }

    private static long? Long(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Number => value.GetInt64(),
            JsonValueKind.String => long.Parse(value.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture),
            _ => null,
        } : null;
}
