using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>The REST verbs: routing, list, get, apply, status patch, delete, create and replace.</summary>
internal sealed partial class FakeKubernetesApiServer
{
    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!.TrimEnd('/');
        var method = context.Request.Method;
        var route = Route.Parse(path);
        if (route is null || _missingKinds.ContainsKey(route.Plural))
        {
            await WriteStatusAsync(context, HttpStatusCode.NotFound, "NotFound", $"no route {path}").ConfigureAwait(false);
            return;
        }

        switch (method)
        {
            case "GET" when route.Name is null && context.Request.Query["watch"] == "true":
                await WatchAsync(context, route).ConfigureAwait(false);
                break;
            case "GET" when route.Name is null:
                Interlocked.Increment(ref ListRequests);
                await WriteJsonAsync(context, HttpStatusCode.OK, List(route)).ConfigureAwait(false);
                break;
            case "GET":
                var found = Get(route.ObjectPath);
                if (found is null) await WriteStatusAsync(context, HttpStatusCode.NotFound, "NotFound", $"{route.Plural} \"{route.Name}\" not found").ConfigureAwait(false);
                else await WriteJsonAsync(context, HttpStatusCode.OK, found).ConfigureAwait(false);
                break;
            case "PATCH" when route.Status:
                await PatchStatusAsync(context, route).ConfigureAwait(false);
                break;
            case "PATCH":
                await ApplyAsync(context, route).ConfigureAwait(false);
                break;
            case "DELETE":
                await DeleteAsync(context, route).ConfigureAwait(false);
                break;
            case "POST":
                await CreateAsync(context, route).ConfigureAwait(false);
                break;
            case "PUT":
                await ReplaceAsync(context, route).ConfigureAwait(false);
                break;
            default:
                await WriteStatusAsync(context, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", method).ConfigureAwait(false);
                break;
        }
    }

    private JsonObject List(Route route)
    {
        lock (_gate)
        {
            var items = _objects
                .Where(p => route.Matches(p.Key))
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => (JsonNode)p.Value.DeepClone())
                .ToArray();
            return new JsonObject
            {
                ["kind"] = "List",
                ["apiVersion"] = "v1",
                ["metadata"] = new JsonObject { ["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture) },
                ["items"] = new JsonArray(items),
            };
        }
    }

    private async Task ApplyAsync(HttpContext context, Route route)
    {
        var body = await ReadObjectAsync(context).ConfigureAwait(false);
        if (context.Request.ContentType?.Split(';')[0].Trim() != "application/apply-patch+yaml")
        {
            await WriteStatusAsync(context, HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", context.Request.ContentType ?? "").ConfigureAwait(false);
            return;
        }

        Applies.Enqueue(new AppliedObject(route.ObjectPath, (JsonObject)body.DeepClone(), context.Request.Query["fieldManager"].ToString(), context.Request.Query["force"] == "true"));
        if (Interlocked.Decrement(ref _failNextApplies) >= 0)
        {
            await WriteStatusAsync(context, HttpStatusCode.Conflict, "Conflict", "Operation cannot be fulfilled: the object has been modified").ConfigureAwait(false);
            return;
        }

        var existing = Get(route.ObjectPath);
        var merged = (JsonObject)body.DeepClone();
        if (existing is not null)
        {
            var metadata = merged["metadata"]!.AsObject();
            metadata["generation"] = existing["metadata"]!["generation"]!.DeepClone();
            if (existing["status"] is { } status) merged["status"] = status.DeepClone();
            // A field the manager no longer applies is given up (the HPA keeps the replica count it set).
            if (merged["spec"] is JsonObject spec && spec["replicas"] is null && existing["spec"]?["replicas"] is { } replicas)
            {
                spec["replicas"] = replicas.DeepClone();
            }
        }

        var specChanged = existing is null || !JsonNode.DeepEquals(existing["spec"], merged["spec"]) || !JsonNode.DeepEquals(existing["data"], merged["data"]);
        var unchanged = existing is not null && !specChanged && JsonNode.DeepEquals(existing["metadata"]?["labels"], merged["metadata"]?["labels"]);
        var stored = unchanged ? existing! : Store(route.ObjectPath, merged, specChanged);
        await WriteJsonAsync(context, existing is null ? HttpStatusCode.Created : HttpStatusCode.OK, stored).ConfigureAwait(false);
    }

    private async Task PatchStatusAsync(HttpContext context, Route route)
    {
        Interlocked.Increment(ref StatusPatches);
        var patch = await ReadObjectAsync(context).ConfigureAwait(false);
        var existing = Get(route.ObjectPath);
        if (existing is null)
        {
            await WriteStatusAsync(context, HttpStatusCode.NotFound, "NotFound", route.ObjectPath).ConfigureAwait(false);
            return;
        }

        existing["status"] = patch["status"]?.DeepClone();
        var stored = Store(route.ObjectPath, existing, specChanged: false);
        await WriteJsonAsync(context, HttpStatusCode.OK, stored).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context, Route route)
    {
        Interlocked.Increment(ref Deletes);
        var options = context.Request.ContentLength > 0 ? await ReadObjectAsync(context).ConfigureAwait(false) : [];
        JsonObject? deleted = null;
        lock (_gate)
        {
            if (!_objects.TryGetValue(route.ObjectPath, out var existing))
            {
                existing = null;
            }
            else if (options["preconditions"]?["uid"] is { } uid && (string?)uid != (string?)existing["metadata"]!["uid"])
            {
                existing = null;
            }
            else
            {
                _objects.Remove(route.ObjectPath);
                Record(route.ObjectPath, "DELETED", existing, ++_resourceVersion);
            }

            deleted = existing;
        }

        // Like kube-apiserver, a delete answers with the object (clients parse the body).
        if (deleted is not null) await WriteJsonAsync(context, HttpStatusCode.OK, deleted).ConfigureAwait(false);
        else await WriteStatusAsync(context, HttpStatusCode.NotFound, "NotFound", route.ObjectPath).ConfigureAwait(false);
    }

    private async Task CreateAsync(HttpContext context, Route route)
    {
        var body = await ReadObjectAsync(context).ConfigureAwait(false);
        var path = $"{route.CollectionPath}/{(string)body["metadata"]!["name"]!}";
        if (route.Namespace is not null) body["metadata"]!["namespace"] = route.Namespace; // as kube-apiserver fills it from the path
        if (Get(path) is not null)
        {
            await WriteStatusAsync(context, HttpStatusCode.Conflict, "AlreadyExists", path).ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(context, HttpStatusCode.Created, Store(path, body, specChanged: true)).ConfigureAwait(false);
    }

    private async Task ReplaceAsync(HttpContext context, Route route)
    {
        var body = await ReadObjectAsync(context).ConfigureAwait(false);
        JsonObject stored;
        lock (_gate)
        {
            if (!_objects.TryGetValue(route.ObjectPath, out var existing)
                || (string?)existing["metadata"]!["resourceVersion"] != (string?)body["metadata"]?["resourceVersion"])
            {
                stored = null!;
            }
            else
            {
                stored = Store(route.ObjectPath, body, specChanged: true);
            }
        }

        if (stored is null) await WriteStatusAsync(context, HttpStatusCode.Conflict, "Conflict", "the object has been modified").ConfigureAwait(false);
        else await WriteJsonAsync(context, HttpStatusCode.OK, stored).ConfigureAwait(false);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return JsonNode.Parse(await reader.ReadToEndAsync().ConfigureAwait(false))!.AsObject();
    }

    private static Task WriteJsonAsync(HttpContext context, HttpStatusCode status, JsonObject body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    private static Task WriteStatusAsync(HttpContext context, HttpStatusCode status, string reason, string message) =>
        WriteJsonAsync(context, status, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["status"] = "Failure",
            ["reason"] = reason,
            ["message"] = message,
            ["code"] = (int)status,
        });
}
