namespace TusCluster.Operator.Tests.Fakes;

/// <summary>A parsed API path: /api/v1/... or /apis/group/version/..., optionally namespaced, named and /status.</summary>
internal sealed record Route(string Root, string? Namespace, string Plural, string? Name, bool Status)
{
    public string CollectionPath => Namespace is null ? $"{Root}/{Plural}" : $"{Root}/namespaces/{Namespace}/{Plural}";

    public string ObjectPath => $"{CollectionPath}/{Name}";

    public static Route? Parse(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        int rest;
        string root;
        if (parts.Length >= 2 && parts[0] == "api") { root = "/api/" + parts[1]; rest = 2; }
        else if (parts.Length >= 3 && parts[0] == "apis") { root = $"/apis/{parts[1]}/{parts[2]}"; rest = 3; }
        else return null;

        var tail = parts[rest..];
        return tail switch
        {
            [var plural] => new Route(root, null, plural, null, false),
            ["namespaces", var ns, var plural] => new Route(root, ns, plural, null, false),
            ["namespaces", var ns, var plural, var name] => new Route(root, ns, plural, name, false),
            ["namespaces", var ns, var plural, var name, "status"] => new Route(root, ns, plural, name, true),
            _ => null,
        };
    }

    /// <summary>Whether a stored object's path belongs to this (possibly all-namespaces) collection.</summary>
    public bool Matches(string objectPath) => MatchesCollection(objectPath[..objectPath.LastIndexOf('/')]);

    public bool MatchesCollection(string collectionPath) =>
        Namespace is null
            ? collectionPath.StartsWith(Root + "/", StringComparison.Ordinal) && collectionPath.EndsWith("/" + Plural, StringComparison.Ordinal)
            : collectionPath == CollectionPath;
}
