using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>
/// The JSONPath subset that CRD printer columns and scale paths use: .a.b, .a[0], .a[*].b and
/// .a[?(@.type=="Ready")].reason.
/// </summary>
internal static partial class SimpleJsonPath
{
    public static JsonNode? First(JsonNode? root, string path) => Select(root, path).FirstOrDefault();

    public static IEnumerable<JsonNode?> Select(JsonNode? root, string path)
    {
        IEnumerable<JsonNode?> current = [root];
        foreach (Match step in Step().Matches(path))
        {
            if (step.Groups["field"].Success)
            {
                var name = step.Groups["field"].Value;
                current = current.Select(n => n is JsonObject o ? o[name] : null);
            }
            else if (step.Groups["index"].Success)
            {
                var index = int.Parse(step.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture);
                current = current.Select(n => n is JsonArray a && index < a.Count ? a[index] : null);
            }
            else if (step.Groups["all"].Success)
            {
                current = current.SelectMany(n => n as JsonArray ?? []);
            }
            else
            {
                var (field, value) = (step.Groups["key"].Value, step.Groups["value"].Value);
                current = current.SelectMany(n => (n as JsonArray ?? []).Where(i => (string?)(i as JsonObject)?[field]?.ToString() == value));
            }

            current = current.Where(n => n is not null).ToList();
        }

        return current;
    }

    [GeneratedRegex("""\.(?<field>[A-Za-z0-9_\-]+)|\[(?<index>\d+)\]|\[(?<all>\*)\]|\[\?\(@\.(?<key>[A-Za-z0-9_\-]+)\s*==\s*["'](?<value>[^"']*)["']\)\]""")]
    private static partial Regex Step();
}
