using System.Text.Json.Nodes;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>
/// OpenAPI v3 as far as kubectl reads it: the root lists a document per group-version, and each document
/// declares, on every resource's PATCH, the fieldValidation parameter (so kubectl leaves validation to the
/// server instead of validating against schemas itself) and the resource's group-version-kind (an object on
/// operations, a list on schemas, as kube-apiserver writes them).
/// </summary>
internal static class OpenApiDocuments
{
    public static JsonObject? Find(string[] parts, IReadOnlyList<ApiResource> resources)
    {
        var groupVersions = resources.Select(r => r.Root.TrimStart('/')).Distinct().ToList();
        if (parts.Length == 2)
        {
            var paths = new JsonObject();
            foreach (var gv in groupVersions) paths[gv] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{gv}?hash=0" };
            return new JsonObject { ["paths"] = paths };
        }

        var wanted = string.Join('/', parts[2..]);
        return groupVersions.Contains(wanted) ? Document(resources.Where(r => r.Root.TrimStart('/') == wanted)) : null;
    }

    private static JsonObject Document(IEnumerable<ApiResource> resources)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var r in resources)
        {
            var gvk = new JsonArray(new JsonObject { ["group"] = r.Group, ["version"] = r.Version, ["kind"] = r.Kind });
            var schemaName = $"{(r.Group.Length == 0 ? "io.k8s.api.core" : r.Group)}.{r.Version}.{r.Kind}";
            schemas[schemaName] = new JsonObject { ["type"] = "object", ["x-kubernetes-group-version-kind"] = gvk.DeepClone() };
            var item = r.Namespaced ? $"{r.Root}/namespaces/{{namespace}}/{r.Plural}/{{name}}" : $"{r.Root}/{r.Plural}/{{name}}";
            paths[item] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["x-kubernetes-group-version-kind"] = gvk[0]!.DeepClone(),
                    ["parameters"] = new JsonArray(
                        new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                        new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                        new JsonObject { ["name"] = "force", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "boolean" } }),
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes (fake)", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }
}
