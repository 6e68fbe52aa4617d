namespace TusCluster.Operator.Tests.Fakes;

/// <summary>
/// A parsed API path: /api/v1/... or /apis/group/version/..., cluster-scoped or namespaced, optionally named
/// and with a subresource (status, scale). A null namespace on a collection means all namespaces.
/// </summary>
internal sealed record Route(string Root, string? Namespace, string Plural, string? Name, string? Subresource)
{
    public bool Status => Subresource == "status";

    public string CollectionPath => Namespace is null ? $"{Root}/{Plural}" : $"{Root}/namespaces/{Namespace}/{Plural}";

    public string ObjectPath => $"{CollectionPath}/{Name}";

    public static Route? Parse(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        int rest;
        string root;
        if (parts.Length >= 2 && parts[0] == "api") { root = "/api/" + parts[1]; rest = 2; }
        else if (parts.Length >= 3 && parts[0] == "apis") { root = $"/apis/{parts[1]}/{parts[2]}"; rest = 3; }
        else return null;

        var tail = parts[rest..];
        return tail switch
        {
            [var plural] => new Route(root, null, plural, null, null),
            [var plural, var name] => new Route(root, null, plural, name, null),
            ["namespaces", var name, var sub] when sub is "status" or "finalize" => new Route(root, null, "namespaces", name, sub),
            ["namespaces", var ns, var plural] => new Route(root, ns, plural, null, null),
            [var plural, var name, var sub] => new Route(root, null, plural, name, sub),
            ["namespaces", var ns, var plural, var name] => new Route(root, ns, plural, name, null),
            ["namespaces", var ns, var plural, var name, var sub] => new Route(root, ns, plural, name, sub),
            _ => null,
        };
    }

    /// <summary>The storage key of an object of <paramref name="resource"/> (namespaced or not) by namespace and name.</summary>
    public static string KeyOf(ApiResource resource, string? ns, string name) =>
        resource.Namespaced ? $"{resource.Root}/namespaces/{ns}/{resource.Plural}/{name}" : $"{resource.Root}/{resource.Plural}/{name}";

    /// <summary>Whether a stored object's path belongs to this (possibly all-namespaces) collection.</summary>
    public bool Matches(string objectPath) => MatchesCollection(objectPath[..objectPath.LastIndexOf('/')]);

    public bool MatchesCollection(string collectionPath) =>
        Namespace is null
            ? collectionPath == $"{Root}/{Plural}"
              || (collectionPath.StartsWith(Root + "/namespaces/", StringComparison.Ordinal) && collectionPath.EndsWith("/" + Plural, StringComparison.Ordinal)
                  && collectionPath.Count(c => c == '/') == Root.Count(c => c == '/') + 3)
            : collectionPath == CollectionPath;
}
