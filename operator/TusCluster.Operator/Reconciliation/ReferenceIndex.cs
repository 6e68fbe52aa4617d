namespace TusCluster.Operator.Reconciliation;

/// <summary>
/// Which TusServers reference which Secrets and ConfigMaps, as their last reconcile saw it: the Secret and
/// ConfigMap watches see every object in the namespace and enqueue only the TusServers that read it.
/// </summary>
internal sealed class ReferenceIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Namespace, string Server), IReadOnlyList<ReferencedObject>> _byServer = [];

    public void Set(string ns, string server, IReadOnlyList<ReferencedObject> references)
    {
        lock (_gate) _byServer[(ns, server)] = references;
    }

    public void Forget(string ns, string server)
    {
        lock (_gate) _byServer.Remove((ns, server));
    }

    public IReadOnlyList<string> Referencing(string kind, string ns, string name)
    {
        var reference = new ReferencedObject(kind, name);
        lock (_gate)
        {
            return _byServer.Where(p => p.Key.Namespace == ns && p.Value.Contains(reference)).Select(p => p.Key.Server).ToList();
        }
    }
}
