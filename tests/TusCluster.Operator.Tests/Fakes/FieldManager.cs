using System.Text.Json.Nodes;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>
/// Field ownership as kube-apiserver keeps it. An update takes the fields it changed from everyone; an apply
/// owns exactly the fields it sent, conflicts (409) where another manager owns a field with another value
/// unless forced, and removes the fields it sent before and sends no more when nobody else owns them.
/// </summary>
internal sealed class FieldManager(ApiResource resource, string manager, string? subresource)
{
    private bool BuiltIn => !resource.IsCustom;

    /// <summary>Which top-level fields this request may touch: only status on /status, all but status elsewhere if status is a subresource.</summary>
    public bool InScope(string field) => subresource == "status" ? field == "status" : !(resource.HasStatus && field == "status");

    public void RecordUpdate(JsonObject? before, JsonObject after)
    {
        var entries = ManagedFields.Read(before);
        var old = before is null ? [] : FieldPaths.Of(before, BuiltIn, InScope);
        var now = FieldPaths.Of(after, BuiltIn, InScope);
        var changed = now.Where(p => !old.Contains(p) || !JsonNode.DeepEquals(FieldPaths.Resolve(before, p), FieldPaths.Resolve(after, p))).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            entry.Paths.ExceptWith(changed);
            entry.Paths.RemoveWhere(p => !now.Contains(p) && FieldPaths.Resolve(after, p) is null);
        }

        var own = entries.FirstOrDefault(e => e.Is(manager, "Update", subresource));
        if (own is null) entries.Add(own = new ManagedFields(manager, "Update", subresource, resource.GroupVersion, []));
        own.Paths.UnionWith(changed);
        ManagedFields.Write(after, entries);
    }

    /// <summary>The object after the apply, or the conflicts (manager and field) that stop it.</summary>
    public (JsonObject? Result, List<string> Conflicts) Apply(JsonObject? current, JsonObject applied, bool force)
    {
        var entries = ManagedFields.Read(current);
        var sent = FieldPaths.Of(applied, BuiltIn, InScope);
        var conflicts = new List<(ManagedFields Entry, string Path)>();
        foreach (var entry in entries.Where(e => !e.Is(manager, "Apply", subresource)))
        {
            // A keyed list item's own path ("k:...") is shared by whoever sets a field in it; only values conflict.
            foreach (var path in sent.Where(p => entry.Paths.Contains(p) && p[(p.LastIndexOf('\n') + 1)..].StartsWith("f:", StringComparison.Ordinal)))
            {
                if (!JsonNode.DeepEquals(FieldPaths.Resolve(current, path), FieldPaths.Resolve(applied, path))) conflicts.Add((entry, path));
            }
        }

        if (conflicts.Count > 0 && !force) return (null, conflicts.Select(c => $"conflict with \"{c.Entry.Manager}\"{Using(c.Entry)}: {FieldPaths.Display(c.Path)}").ToList());
        foreach (var (entry, path) in conflicts) entry.Paths.Remove(path);

        var result = current is null ? new JsonObject() : (JsonObject)current.DeepClone();
        var own = entries.FirstOrDefault(e => e.Is(manager, "Apply", subresource));
        foreach (var path in (own?.Paths ?? []).Except(sent).OrderByDescending(p => p.Length))
        {
            if (!entries.Any(e => e != own && e.Paths.Contains(path))) FieldPaths.Remove(result, path);
        }

        Merge(result, applied, top: true);
        if (own is null) entries.Add(own = new ManagedFields(manager, "Apply", subresource, resource.GroupVersion, []));
        own.Paths.Clear();
        own.Paths.UnionWith(sent);
        ManagedFields.Write(result, entries);
        return (result, []);
    }

    private static string Using(ManagedFields entry) => entry.Operation == "Update" ? " using " + entry.ApiVersion : "";

    private void Merge(JsonObject target, JsonObject applied, bool top)
    {
        foreach (var (name, value) in applied)
        {
            if (top && name is not ("apiVersion" or "kind" or "metadata") && !InScope(name)) continue;
            if (top && name == "metadata")
            {
                var metadata = target["metadata"] as JsonObject ?? [];
                target["metadata"] = metadata;
                foreach (var (field, child) in (JsonObject)value!)
                {
                    if (field is "name" or "namespace" or "labels" or "annotations" or "ownerReferences" or "finalizers" or "generateName")
                    {
                        Merge(metadata, new JsonObject { [field] = child?.DeepClone() }, top: false);
                    }
                }

                continue;
            }

            if (value is null) target.Remove(name);
            else if (value is JsonObject child && target[name] is JsonObject existing) Merge(existing, child, top: false);
            else if (value is JsonArray list && target[name] is JsonArray current && ListKeys.Of(name, list, BuiltIn) is { } keys && ListKeys.Of(name, current, BuiltIn) is not null)
            {
                foreach (var item in list.OfType<JsonObject>())
                {
                    if (ListKeys.Find(current, keys, ListKeys.KeyOf(item, keys)) is { } match) Merge(match, item, top: false);
                    else current.Add(item.DeepClone());
                }
            }
            else target[name] = value.DeepClone();
        }
    }
}
