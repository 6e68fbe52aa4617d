using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>PATCH in its four content types, server-side apply included, on an object or its status.</summary>
internal sealed partial class FakeKubernetesApiServer
{
    private async Task PatchAsync(HttpContext context, Route route, ApiResource resource)
    {
        var contentType = context.Request.ContentType?.Split(';')[0];
        if (route.Status) Interlocked.Increment(ref StatusPatches);
        if (contentType == "application/json-patch+json")
        {
            var operations = await ReadArrayAsync(context).ConfigureAwait(false);
            await WriteAsync(context, route, resource, existing => Updated(context, resource, route, existing!,
                JsonPatched(existing!, operations))).ConfigureAwait(false);
            return;
        }

        var patch = await ReadObjectAsync(context).ConfigureAwait(false);
        if (patch is null) return;
        switch (contentType)
        {
            case "application/apply-patch+yaml":
                await ApplyAsync(context, route, resource, patch).ConfigureAwait(false);
                break;
            case "application/merge-patch+json":
                await WriteAsync(context, route, resource, existing => Updated(context, resource, route, existing!, (JsonObject)JsonMergePatch.Apply(existing, patch)!)).ConfigureAwait(false);
                break;
            case "application/strategic-merge-patch+json" when !resource.IsCustom:
                await WriteAsync(context, route, resource, existing => Updated(context, resource, route, existing!, StrategicMergePatch.Apply(existing!, patch))).ConfigureAwait(false);
                break;
            default:
                await WriteStatusAsync(context, HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml{(resource.IsCustom ? "" : ", application/strategic-merge-patch+json")}").ConfigureAwait(false);
                break;
        }
    }

    private async Task ApplyAsync(HttpContext context, Route route, ApiResource resource, JsonObject applied)
    {
        var manager = context.Request.Query["fieldManager"].ToString();
        var force = context.Request.Query["force"] == "true";
        if (!route.Status) Applies.Enqueue(new AppliedObject(route.ObjectPath, (JsonObject)applied.DeepClone(), manager, force));
        if (Interlocked.Decrement(ref _failNextApplies) >= 0) throw ApiError.Stale(resource, route.Name!);
        if (manager.Length == 0) throw new ApiError(HttpStatusCode.UnprocessableEntity, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        if ((string?)applied["apiVersion"] != resource.GroupVersion || (string?)applied["kind"] != resource.Kind)
        {
            throw new ApiError(HttpStatusCode.BadRequest, "BadRequest", $"the apiVersion and kind of an applied object must be {resource.GroupVersion}, {resource.Kind}");
        }

        await WriteAsync(context, route, resource, existing =>
        {
            if ((string?)applied["metadata"]?["resourceVersion"] is { } version && version != (string?)existing?["metadata"]?["resourceVersion"]) throw ApiError.Stale(resource, route.Name!);
            var (result, conflicts) = new FieldManager(resource, manager, route.Subresource).Apply(existing, applied, force);
            if (result is null)
            {
                var causes = new JsonArray(conflicts.Select(c => (JsonNode)new JsonObject { ["type"] = "FieldManagerConflict", ["message"] = c, ["field"] = c[(c.LastIndexOf(": ", StringComparison.Ordinal) + 2)..] }).ToArray());
                throw new ApiError(HttpStatusCode.Conflict, "Conflict", $"Apply failed with {conflicts.Count} conflict{(conflicts.Count == 1 ? "" : "s")}: {string.Join("\n", conflicts)}", causes);
            }

            return result;
        }, allowCreate: !route.Status).ConfigureAwait(false);
    }

    /// <summary>The write of a candidate state under the request's field manager as an update.</summary>
    private static JsonObject Updated(HttpContext context, ApiResource resource, Route route, JsonObject existing, JsonObject candidate)
    {
        var next = Scoped(resource, route, existing, candidate);
        new FieldManager(resource, Manager(context), route.Subresource).RecordUpdate(existing, next);
        return next;
    }

    /// <summary>What a write may change: only status on /status; all but status on the object when status is a subresource.</summary>
    private static JsonObject Scoped(ApiResource resource, Route route, JsonObject? existing, JsonObject candidate)
    {
        var next = (JsonObject)(route.Status ? existing! : candidate).DeepClone();
        if (route.Status)
        {
            next["status"] = candidate["status"]?.DeepClone();
            next["metadata"]!["resourceVersion"] = candidate["metadata"]?["resourceVersion"]?.DeepClone();
        }
        else if (resource.HasStatus)
        {
            next["status"] = existing?["status"]?.DeepClone();
        }

        if (next["status"] is null) next.Remove("status");
        return next;
    }

    /// <summary>Changes an object under the gate (409 when the change carries another resource version) and answers with the result.</summary>
    private async Task WriteAsync(HttpContext context, Route route, ApiResource resource, Func<JsonObject?, JsonObject> change, bool allowCreate = false, ScaleSubresource? scaleOf = null)
    {
        JsonObject stored;
        bool created;
        lock (_gate)
        {
            var existing = _objects.GetValueOrDefault(route.ObjectPath);
            if (existing is null && !allowCreate) throw ApiError.NotFound(resource, route.Name!);
            var next = change(existing is null ? null : (JsonObject)existing.DeepClone());
            if (existing is not null && (string?)next["metadata"]?["resourceVersion"] is { } version && version != (string?)existing["metadata"]!["resourceVersion"])
            {
                throw ApiError.Stale(resource, route.Name!);
            }

            Prepare(next, route);
            created = existing is null;
            stored = Commit(route.ObjectPath, resource, next);
        }

        await WriteJsonAsync(context, created ? HttpStatusCode.Created : HttpStatusCode.OK, scaleOf is null ? stored : ScaleOf(stored, scaleOf)).ConfigureAwait(false);
    }

    /// <summary>The document after an RFC 6902 patch; 422 when an operation does not apply (as kube-apiserver answers).</summary>
    private static JsonObject JsonPatched(JsonObject document, JsonArray operations) =>
        JsonPatch.Apply(document, operations) as JsonObject ?? throw new ApiError(HttpStatusCode.UnprocessableEntity, "Invalid", "the JSON patch does not apply");

    private static async Task<JsonArray> ReadArrayAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        try
        {
            return JsonNode.Parse(await reader.ReadToEndAsync().ConfigureAwait(false)) as JsonArray ?? throw new ApiError(HttpStatusCode.BadRequest, "BadRequest", "a JSON patch is an array");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ApiError(HttpStatusCode.BadRequest, "BadRequest", e.Message);
        }
    }
}
