using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>
/// Discovery in its legacy (unaggregated) form, which kubectl and client libraries fall back to when the
/// answer is plain application/json: /api, /apis, /apis/{group}, /api/v1 and /apis/{group}/{version}, plus
/// /version and the OpenAPI documents (<see cref="OpenApiDocuments"/> for v3, <see cref="OpenApiV2Protobuf"/> for older kubectl).
/// </summary>
internal sealed partial class FakeKubernetesApiServer
{
    private static readonly string[] ObjectVerbs = ["create", "delete", "get", "list", "patch", "update", "watch"];

    private async Task<bool> TryDiscoveryAsync(HttpContext context, string path)
    {
        if (context.Request.Method != "GET") return false;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var resources = _catalog.All.Where(r => !_missingKinds.ContainsKey(r.Plural)).ToList();
        if (parts is ["openapi", "v2"])
        {
            context.Response.ContentType = OpenApiV2Protobuf.MediaType;
            await context.Response.Body.WriteAsync(OpenApiV2Protobuf.Document(resources)).ConfigureAwait(false);
            return true;
        }

        JsonObject? body = parts switch
        {
            ["version"] => new JsonObject { ["major"] = "1", ["minor"] = "32", ["gitVersion"] = "v1.32.0-fake", ["platform"] = "linux/amd64" },
            ["api"] => new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = context.Request.Host.Value }),
            },
            ["apis"] => new JsonObject
            {
                ["kind"] = "APIGroupList",
                ["apiVersion"] = "v1",
                ["groups"] = new JsonArray(resources.Where(r => r.Group.Length > 0).GroupBy(r => r.Group).Select(g => (JsonNode)Group(g.Key, g)).ToArray()),
            },
            ["apis", var group] when resources.Any(r => r.Group == group) => Group(group, resources.Where(r => r.Group == group)),
            ["api", "v1"] => ResourceList("v1", resources.Where(r => r.Group.Length == 0)),
            ["apis", var group, var version] when resources.Any(r => r.Group == group && r.Version == version) =>
                ResourceList($"{group}/{version}", resources.Where(r => r.Group == group && r.Version == version)),
            ["openapi", "v3", ..] => OpenApiDocuments.Find(parts, resources),
            _ => null,
        };
        if (body is null)
        {
            if (parts is ["version"] or ["api"] or ["apis", ..] and not ([_, _, _, ..]) or ["openapi", ..])
            {
                await WriteStatusAsync(context, HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource").ConfigureAwait(false);
                return true;
            }

            return false;
        }

        await WriteJsonAsync(context, HttpStatusCode.OK, body).ConfigureAwait(false);
        return true;
    }

    private static JsonObject Group(string name, IEnumerable<ApiResource> resources)
    {
        var versions = resources.Select(r => r.Version).Distinct().Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{name}/{v}", ["version"] = v }).ToArray();
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = name,
            ["versions"] = new JsonArray(versions),
            ["preferredVersion"] = versions[0]!.DeepClone(),
        };
    }

    private static JsonObject ResourceList(string groupVersion, IEnumerable<ApiResource> resources)
    {
        var list = new JsonArray();
        foreach (var r in resources)
        {
            var entry = new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = new JsonArray(ObjectVerbs.Select(v => (JsonNode)v).ToArray()),
            };
            if (r.ShortNames.Count > 0) entry["shortNames"] = new JsonArray(r.ShortNames.Select(s => (JsonNode)s).ToArray());
            if (r.Categories.Count > 0) entry["categories"] = new JsonArray(r.Categories.Select(s => (JsonNode)s).ToArray());
            list.Add(entry);
            if (r.HasStatus)
            {
                list.Add(new JsonObject { ["name"] = r.Plural + "/status", ["singularName"] = "", ["namespaced"] = r.Namespaced, ["kind"] = r.Kind, ["verbs"] = new JsonArray("get", "patch", "update") });
            }

            if (r.Scale is not null)
            {
                list.Add(new JsonObject { ["name"] = r.Plural + "/scale", ["singularName"] = "", ["namespaced"] = r.Namespaced, ["group"] = "autoscaling", ["version"] = "v1", ["kind"] = "Scale", ["verbs"] = new JsonArray("get", "patch", "update") });
            }
        }

        return new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = groupVersion, ["resources"] = list };
    }
}
