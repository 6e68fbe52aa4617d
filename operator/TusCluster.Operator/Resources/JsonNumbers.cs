using System.Globalization;
using System.Text.Json.Nodes;

namespace TusCluster.Operator.Resources;

/// <summary>
/// Reads numbers from JsonNodes whatever CLR type backs them: a node built in memory from an int cannot
/// be cast to long (and the reverse), while one parsed from the API can.
/// </summary>
internal static class JsonNumbers
{
    public static long? Int64(JsonNode? node) =>
        node is JsonValue && long.TryParse(node.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static int? Int32(JsonNode? node) => Int64(node) is { } value and >= int.MinValue and <= int.MaxValue ? (int)value : null;
}
