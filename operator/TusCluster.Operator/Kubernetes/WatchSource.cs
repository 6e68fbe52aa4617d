using k8s;
using k8s.Models;

namespace TusCluster.Operator.Kubernetes;

/// <summary>How to list and watch one kind of object, reduced to the metadata the controller routes by.</summary>
internal sealed record WatchSource(
    string Plural,
    Func<CancellationToken, Task<(IReadOnlyList<V1ObjectMeta> Items, string ResourceVersion)>> List,
    Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, V1ObjectMeta Metadata)>> Watch);
