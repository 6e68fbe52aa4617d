using System.Globalization;
using System.Text.Json.Nodes;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>One metadata.managedFields entry: who set which fields, by apply or by update, on which subresource.</summary>
internal sealed record ManagedFields(string Manager, string Operation, string? Subresource, string ApiVersion, HashSet<string> Paths)
{
    public static List<ManagedFields> Read(JsonObject? obj) =>
        (obj?["metadata"]?["managedFields"] as JsonArray ?? []).OfType<JsonObject>().Select(e => new ManagedFields(
            (string?)e["manager"] ?? "", (string?)e["operation"] ?? "Update", (string?)e["subresource"], (string?)e["apiVersion"] ?? "",
            FieldPaths.Decode(e["fieldsV1"] as JsonObject))).ToList();

    public static void Write(JsonObject obj, IEnumerable<ManagedFields> entries)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var array = new JsonArray();
        foreach (var entry in entries.Where(e => e.Paths.Count > 0))
        {
            var json = new JsonObject
            {
                ["manager"] = entry.Manager,
                ["operation"] = entry.Operation,
                ["apiVersion"] = entry.ApiVersion,
                ["time"] = now,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = FieldPaths.Encode(entry.Paths),
            };
            if (entry.Subresource is not null) json["subresource"] = entry.Subresource;
            array.Add(json);
        }

        var metadata = obj["metadata"]!.AsObject();
        if (array.Count > 0) metadata["managedFields"] = array;
        else metadata.Remove("managedFields");
    }

    public bool Is(string manager, string operation, string? subresource) =>
        Manager == manager && Operation == operation && Subresource == subresource;
}
