using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>Routing and the plain verbs: get, list (or watch), create, replace and delete.</summary>
internal sealed partial class FakeKubernetesApiServer
{
    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!.TrimEnd('/');
        if (await TryDiscoveryAsync(context, path).ConfigureAwait(false)) return;
        var route = Route.Parse(path);
        var resource = route is null ? null : Resource(route);
        if (route is null || resource is null || (route.Namespace is not null && !resource.Namespaced))
        {
            await WriteStatusAsync(context, HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource").ConfigureAwait(false);
            return;
        }

        try
        {
            await DispatchAsync(context, route, resource).ConfigureAwait(false);
        }
        catch (ApiError error)
        {
            await WriteStatusAsync(context, error.Code, error.Reason, error.Message, error.Causes).ConfigureAwait(false);
        }
    }

    private Task DispatchAsync(HttpContext context, Route route, ApiResource resource)
    {
        var method = context.Request.Method;
        return (route.Name, route.Subresource, method) switch
        {
            (null, null, "GET") when context.Request.Query["watch"].ToString() is "true" or "1" => WatchAsync(context, route, resource),
            (null, null, "GET") => ListAsync(context, route, resource),
            (null, null, "POST") => CreateAsync(context, route, resource),
            (not null, null, "GET") => GetAsync(context, route, resource),
            (not null, null, "PUT") => ReplaceAsync(context, route, resource),
            (not null, null or "status", "PATCH") => PatchAsync(context, route, resource),
            (not null, null, "DELETE") => DeleteAsync(context, route, resource),
            (not null, "status", "GET") => GetAsync(context, route, resource),
            (not null, "status", "PUT") => ReplaceAsync(context, route, resource),
            (not null, "scale", _) when resource.Scale is not null => ScaleAsync(context, route, resource),
            (not null, not null, _) => WriteStatusAsync(context, HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource"),
            _ => WriteStatusAsync(context, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", "the server does not allow this method on the requested resource"),
        };
    }

    private Task GetAsync(HttpContext context, Route route, ApiResource resource)
    {
        var found = Get(route.ObjectPath);
        if (found is null) return NotFoundAsync(context, route, resource);
        return WantsTable(context)
            ? WriteJsonAsync(context, HttpStatusCode.OK, TableConverter.Table(resource, [found], found["metadata"]!["resourceVersion"]!.ToString(), context.Request.Query["includeObject"]))
            : WriteJsonAsync(context, HttpStatusCode.OK, found);
    }

    private Task ListAsync(HttpContext context, Route route, ApiResource resource)
    {
        Interlocked.Increment(ref ListRequests);
        var fieldSelector = context.Request.Query["fieldSelector"].ToString();
        if (!Selectors.FieldsSupported(fieldSelector))
        {
            return WriteStatusAsync(context, HttpStatusCode.BadRequest, "BadRequest", $"field label not supported: {fieldSelector}");
        }

        JsonObject[] items;
        string version;
        lock (_gate)
        {
            items = _objects.Where(p => route.Matches(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (JsonObject)p.Value.DeepClone())
                .Where(o => Selectors.Match(o, context.Request.Query["labelSelector"], fieldSelector)).ToArray();
            version = _resourceVersion.ToString(CultureInfo.InvariantCulture);
        }

        if (WantsTable(context)) return WriteJsonAsync(context, HttpStatusCode.OK, TableConverter.Table(resource, items, version, context.Request.Query["includeObject"]));
        return WriteJsonAsync(context, HttpStatusCode.OK, new JsonObject
        {
            ["kind"] = resource.Kind + "List",
            ["apiVersion"] = resource.GroupVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = version },
            ["items"] = new JsonArray(items.Select(i => (JsonNode)i).ToArray()),
        });
    }

    private async Task CreateAsync(HttpContext context, Route route, ApiResource resource)
    {
        var body = await ReadObjectAsync(context).ConfigureAwait(false);
        if (body is null || await RejectBodyAsync(context, route, resource, body, requireName: false).ConfigureAwait(false)) return;
        var metadata = body["metadata"]!.AsObject();
        if (metadata["name"] is null && (string?)metadata["generateName"] is { } prefix) metadata["name"] = prefix + Guid.NewGuid().ToString("N")[..5];
        if (metadata["name"] is null || metadata["resourceVersion"] is not null)
        {
            await WriteStatusAsync(context, HttpStatusCode.UnprocessableEntity, "Invalid", metadata["name"] is null ? "metadata.name: Required value" : "resourceVersion should not be set on objects to be created").ConfigureAwait(false);
            return;
        }

        var key = Route.KeyOf(resource, route.Namespace, (string)metadata["name"]!);
        JsonObject? stored = null;
        lock (_gate)
        {
            if (!_objects.ContainsKey(key))
            {
                Prepare(body, route);
                if (resource.HasStatus) body.Remove("status");
                new FieldManager(resource, Manager(context), null).RecordUpdate(null, body);
                stored = Commit(key, resource, body);
            }
        }

        if (stored is null) await WriteStatusAsync(context, HttpStatusCode.Conflict, "AlreadyExists", $"{Describe(resource, (string)metadata["name"]!)} already exists").ConfigureAwait(false);
        else await WriteJsonAsync(context, HttpStatusCode.Created, stored).ConfigureAwait(false);
    }

    private async Task ReplaceAsync(HttpContext context, Route route, ApiResource resource)
    {
        var body = await ReadObjectAsync(context).ConfigureAwait(false);
        if (body is null || await RejectBodyAsync(context, route, resource, body, requireName: true).ConfigureAwait(false)) return;
        if (route.Status) Interlocked.Increment(ref StatusPatches);
        await WriteAsync(context, route, resource, existing => Updated(context, resource, route, existing!, body)).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context, Route route, ApiResource resource)
    {
        Interlocked.Increment(ref Deletes);
        var options = context.Request.ContentLength > 0 ? await ReadObjectAsync(context).ConfigureAwait(false) ?? [] : [];
        var propagation = (string?)options["propagationPolicy"] ?? context.Request.Query["propagationPolicy"].FirstOrDefault() ?? "Background";
        JsonObject? deleted = null;
        var conflict = false;
        lock (_gate)
        {
            if (_objects.TryGetValue(route.ObjectPath, out var existing))
            {
                conflict = (options["preconditions"]?["uid"] is { } uid && (string?)uid != (string?)existing["metadata"]!["uid"])
                    || (options["preconditions"]?["resourceVersion"] is { } rv && (string?)rv != (string?)existing["metadata"]!["resourceVersion"]);
                if (!conflict) deleted = Delete(route.ObjectPath, propagation);
            }
        }

        if (conflict) await WriteStatusAsync(context, HttpStatusCode.Conflict, "Conflict", $"Operation cannot be fulfilled on {Describe(resource, route.Name!)}: the precondition does not hold").ConfigureAwait(false);
        else if (deleted is null) await NotFoundAsync(context, route, resource).ConfigureAwait(false);
        // Custom resources answer with the deleted object, built-ins with a Status (as kube-apiserver's registries do).
        else if (resource.IsCustom) await WriteJsonAsync(context, HttpStatusCode.OK, deleted).ConfigureAwait(false);
        else await WriteJsonAsync(context, HttpStatusCode.OK, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = new JsonObject { ["name"] = route.Name, ["group"] = resource.Group, ["kind"] = resource.Plural, ["uid"] = deleted["metadata"]!["uid"]!.DeepClone() },
        }).ConfigureAwait(false);
    }
}
