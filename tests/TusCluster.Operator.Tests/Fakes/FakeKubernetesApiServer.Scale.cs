using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>
/// The scale subresource (autoscaling/v1 Scale) over the paths the resource declares: read, replace and patch
/// set the replicas at specReplicasPath; status replicas and the selector come from the object.
/// </summary>
internal sealed partial class FakeKubernetesApiServer
{
    private async Task ScaleAsync(HttpContext context, Route route, ApiResource resource)
    {
        var scale = resource.Scale!;
        var current = Get(route.ObjectPath) ?? throw ApiError.NotFound(resource, route.Name!);
        JsonObject? wanted = null;
        switch (context.Request.Method)
        {
            case "GET":
                await WriteJsonAsync(context, HttpStatusCode.OK, ScaleOf(current, scale)).ConfigureAwait(false);
                return;
            case "PUT":
                wanted = await ReadObjectAsync(context).ConfigureAwait(false);
                break;
            case "PATCH" when context.Request.ContentType?.Split(';')[0] is "application/merge-patch+json" or "application/strategic-merge-patch+json":
                var patch = await ReadObjectAsync(context).ConfigureAwait(false);
                wanted = patch is null ? null : (JsonObject?)JsonMergePatch.Apply(ScaleOf(current, scale), patch);
                break;
            case "PATCH" when context.Request.ContentType?.Split(';')[0] == "application/json-patch+json":
                var operations = await ReadArrayAsync(context).ConfigureAwait(false);
                wanted = JsonPatched(ScaleOf(current, scale), operations);
                break;
            default:
                throw new ApiError(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", "the scale subresource takes GET, PUT and merge or JSON patches here");
        }

        if (wanted is null) return;
        if (wanted["spec"]?["replicas"] is not JsonValue replicasValue || !replicasValue.TryGetValue<int>(out var replicas) || replicas < 0)
        {
            throw new ApiError(HttpStatusCode.UnprocessableEntity, "Invalid", "Scale.autoscaling \"" + route.Name + "\" is invalid: spec.replicas: Invalid value: must be greater than or equal to 0");
        }

        await WriteAsync(context, route, resource, existing =>
        {
            var next = (JsonObject)existing!.DeepClone();
            Set(next, scale.SpecReplicasPath, replicas);
            next["metadata"]!["resourceVersion"] = wanted["metadata"]?["resourceVersion"]?.DeepClone();
            new FieldManager(resource, Manager(context), "scale").RecordUpdate(existing, next);
            return next;
        }, scaleOf: scale).ConfigureAwait(false);
    }

    private static JsonObject ScaleOf(JsonObject obj, ScaleSubresource scale)
    {
        var metadata = obj["metadata"]!;
        var status = new JsonObject { ["replicas"] = (int?)SimpleJsonPath.First(obj, scale.StatusReplicasPath) ?? 0 };
        if (scale.LabelSelectorPath is not null && SimpleJsonPath.First(obj, scale.LabelSelectorPath) is JsonValue selector) status["selector"] = selector.DeepClone();
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata["name"]?.DeepClone(),
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["resourceVersion"] = metadata["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = metadata["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = (int?)SimpleJsonPath.First(obj, scale.SpecReplicasPath) ?? 0 },
            ["status"] = status,
        };
    }

    /// <summary>Sets a value at a dotted path (".spec.replicas"), creating objects on the way.</summary>
    private static void Set(JsonObject obj, string path, int value)
    {
        var parts = path.TrimStart('.').Split('.');
        var node = obj;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child) node[part] = child = [];
            node = child;
        }

        node[parts[^1]] = value;
    }
}
