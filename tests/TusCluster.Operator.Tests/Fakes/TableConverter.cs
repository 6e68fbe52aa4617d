using System.Globalization;
using System.Text.Json.Nodes;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>
/// meta.k8s.io/v1 Table output, as kubectl get asks for it: Name, the resource's printer columns (custom
/// resources: additionalPrinterColumns; built-ins here: Age only), dates as ages like kube-apiserver writes them.
/// </summary>
internal static class TableConverter
{
    private static readonly JsonArray AgeOnly = [new JsonObject { ["name"] = "Age", ["type"] = "date", ["jsonPath"] = ".metadata.creationTimestamp" }];

    public static JsonObject Table(ApiResource resource, IEnumerable<JsonObject> objects, string resourceVersion, string? includeObject)
    {
        var columns = resource.PrinterColumns.Count > 0 ? resource.PrinterColumns : AgeOnly;
        var definitions = new JsonArray(new JsonObject { ["name"] = "Name", ["type"] = "string", ["format"] = "name", ["description"] = "Name must be unique within a namespace.", ["priority"] = 0 });
        foreach (var column in columns.OfType<JsonObject>())
        {
            definitions.Add(new JsonObject
            {
                ["name"] = column["name"]?.DeepClone(),
                ["type"] = column["type"]?.DeepClone(),
                ["format"] = column["format"]?.DeepClone() ?? "",
                ["description"] = column["description"]?.DeepClone() ?? "",
                ["priority"] = column["priority"]?.DeepClone() ?? 0,
            });
        }

        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = new JsonArray((string?)obj["metadata"]!["name"]);
            foreach (var column in columns.OfType<JsonObject>()) cells.Add(Cell(obj, (string)column["jsonPath"]!, (string?)column["type"]));
            rows.Add(new JsonObject { ["cells"] = cells, ["object"] = Included(obj, includeObject) });
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    private static JsonNode? Included(JsonObject obj, string? includeObject) => includeObject switch
    {
        "None" => null,
        "Object" => obj.DeepClone(),
        _ => new JsonObject { ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = obj["metadata"]!.DeepClone() },
    };

    private static JsonNode? Cell(JsonObject obj, string path, string? type)
    {
        var values = SimpleJsonPath.Select(obj, path).ToList();
        if (values.Count == 0) return null;
        if (type == "date" && DateTime.TryParse((string?)values[0], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
        {
            return Age(DateTime.UtcNow - at);
        }

        return values.Count == 1 ? values[0]!.DeepClone() : string.Join(",", values.Select(v => v is JsonValue value && value.TryGetValue<string>(out var s) ? s : v!.ToJsonString()));
    }

    /// <summary>An age the way kubectl shows one: 45s, 3m12s, 25m, 4h10m, 3d.</summary>
    internal static string Age(TimeSpan age)
    {
        var seconds = Math.Max(0, (long)age.TotalSeconds);
        return seconds switch
        {
            < 120 => $"{seconds}s",
            < 600 => $"{seconds / 60}m{(seconds % 60 == 0 ? "" : $"{seconds % 60}s")}",
            < 3 * 3600 => $"{seconds / 60}m",
            < 8 * 3600 => $"{seconds / 3600}h{(seconds / 60 % 60 == 0 ? "" : $"{seconds / 60 % 60}m")}",
            < 48 * 3600 => $"{seconds / 3600}h",
            _ => $"{seconds / 86400}d",
        };
    }
}
