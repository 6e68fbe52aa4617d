using System.Text.Json.Nodes;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>Label selectors (a=b, a!=b, a, !a, a in (x,y), a notin (x)) and the field selectors every kind has (metadata.name, metadata.namespace).</summary>
internal static class Selectors
{
    public static bool Match(JsonObject obj, string? labelSelector, string? fieldSelector) =>
        Requirements(labelSelector).All(r => MatchesLabel(obj["metadata"]?["labels"] as JsonObject, r))
        && Requirements(fieldSelector).All(r => MatchesField(obj, r));

    /// <summary>Whether every field selector term is one this server can evaluate.</summary>
    public static bool FieldsSupported(string? fieldSelector) =>
        Requirements(fieldSelector).All(r => r.Split("!=", 2)[0].Split('=')[0].Trim() is "metadata.name" or "metadata.namespace");

    private static IEnumerable<string> Requirements(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector)) yield break;
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            if (selector[i] == '(') depth++;
            else if (selector[i] == ')') depth--;
            else if (selector[i] == ',' && depth == 0)
            {
                yield return selector[start..i].Trim();
                start = i + 1;
            }
        }

        yield return selector[start..].Trim();
    }

    private static bool MatchesLabel(JsonObject? labels, string requirement)
    {
        string? Label(string key) => (string?)labels?[key.Trim()];
        if (requirement.Contains(" notin ", StringComparison.Ordinal)) return !Set(requirement, " notin ", out var k1).Contains(Label(k1) ?? "\0");
        if (requirement.Contains(" in ", StringComparison.Ordinal)) return Set(requirement, " in ", out var k2).Contains(Label(k2) ?? "\0");
        if (requirement.Contains("!=", StringComparison.Ordinal)) return Label(requirement.Split("!=")[0]) != requirement.Split("!=")[1].Trim();
        if (requirement.Contains('=')) return Label(requirement.Split('=', 2)[0]) == requirement.Split('=', 2)[1].TrimStart('=').Trim();
        if (requirement.StartsWith('!')) return Label(requirement[1..]) is null;
        return Label(requirement) is not null;
    }

    private static HashSet<string> Set(string requirement, string op, out string key)
    {
        var parts = requirement.Split(op, 2);
        key = parts[0];
        return parts[1].Trim().Trim('(', ')').Split(',').Select(v => v.Trim()).ToHashSet(StringComparer.Ordinal);
    }

    private static bool MatchesField(JsonObject obj, string requirement)
    {
        var negate = requirement.Contains("!=", StringComparison.Ordinal);
        var parts = negate ? requirement.Split("!=", 2) : requirement.Split('=', 2);
        var value = parts[0].Trim() switch
        {
            "metadata.name" => (string?)obj["metadata"]?["name"],
            "metadata.namespace" => (string?)obj["metadata"]?["namespace"],
            _ => null,
        };
        var wanted = parts[1].TrimStart('=').Trim();
        return negate ? value != wanted : value == wanted;
    }
}
