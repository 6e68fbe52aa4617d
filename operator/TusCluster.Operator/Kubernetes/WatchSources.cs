using System.Text.Json;
using k8s;
using k8s.Models;

namespace TusCluster.Operator.Kubernetes;

/// <summary>
/// The kinds the controller watches, each in one namespace or in all (null), through the library's typed list
/// and watch calls; TusServers through the generic custom-object calls. Watches ask for bookmarks so that a
/// resumed watch starts from a recent resource version even when nothing it selects has changed.
/// </summary>
internal static class WatchSources
{
    public static WatchSource TusServers(IKubernetes client, string? ns, TimeSpan timeout)
    {
        var (group, version, plural) = (ResourceKind.TusServer.Group, ResourceKind.TusServer.Version, ResourceKind.TusServer.Plural);
        return new WatchSource(
            plural,
            async ct => CustomList(ns is null
                ? await client.CustomObjects.ListClusterCustomObjectAsync(group, version, plural, cancellationToken: ct).ConfigureAwait(false)
                : await client.CustomObjects.ListNamespacedCustomObjectAsync(group, version, ns, plural, cancellationToken: ct).ConfigureAwait(false)),
            (rv, onError, ct) => Metadata(
                ns is null
                    ? client.CustomObjects.WatchListClusterCustomObjectAsync(group, version, plural, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: Seconds(timeout), onError: onError, cancellationToken: ct)
                    : client.CustomObjects.WatchListNamespacedCustomObjectAsync(group, version, ns, plural, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: Seconds(timeout), onError: onError, cancellationToken: ct),
                CustomMetadata));
    }

    /// <summary>Deployments carrying <paramref name="labelSelector"/> (the operator's own), to follow their rollouts.</summary>
    public static WatchSource Deployments(IKubernetes client, string? ns, string labelSelector, TimeSpan timeout) => new(
        ResourceKind.Deployment.Plural,
        async ct =>
        {
            var list = ns is null
                ? await client.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: labelSelector, cancellationToken: ct).ConfigureAwait(false)
                : await client.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: labelSelector, cancellationToken: ct).ConfigureAwait(false);
            return Typed(list.Items, list.Metadata);
        },
        (rv, onError, ct) => Metadata(
            ns is null
                ? client.AppsV1.WatchListDeploymentForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: labelSelector, resourceVersion: rv, timeoutSeconds: Seconds(timeout), onError: onError, cancellationToken: ct)
                : client.AppsV1.WatchListNamespacedDeploymentAsync(ns, allowWatchBookmarks: true, labelSelector: labelSelector, resourceVersion: rv, timeoutSeconds: Seconds(timeout), onError: onError, cancellationToken: ct),
            d => d.Metadata));

    public static WatchSource Secrets(IKubernetes client, string? ns, TimeSpan timeout) => new(
        ResourceKind.Secret.Plural,
        async ct =>
        {
            var list = ns is null
                ? await client.CoreV1.ListSecretForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)
                : await client.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: ct).ConfigureAwait(false);
            return Typed(list.Items, list.Metadata);
        },
        (rv, onError, ct) => Metadata(
            ns is null
                ? client.CoreV1.WatchListSecretForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: Seconds(timeout), onError: onError, cancellationToken: ct)
                : client.CoreV1.WatchListNamespacedSecretAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: Seconds(timeout), onError: onError, cancellationToken: ct),
            s => s.Metadata));

    public static WatchSource ConfigMaps(IKubernetes client, string? ns, TimeSpan timeout) => new(
        ResourceKind.ConfigMap.Plural,
        async ct =>
        {
            var list = ns is null
                ? await client.CoreV1.ListConfigMapForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)
                : await client.CoreV1.ListNamespacedConfigMapAsync(ns, cancellationToken: ct).ConfigureAwait(false);
            return Typed(list.Items, list.Metadata);
        },
        (rv, onError, ct) => Metadata(
            ns is null
                ? client.CoreV1.WatchListConfigMapForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: Seconds(timeout), onError: onError, cancellationToken: ct)
                : client.CoreV1.WatchListNamespacedConfigMapAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: Seconds(timeout), onError: onError, cancellationToken: ct),
            c => c.Metadata));

    private static int Seconds(TimeSpan timeout) => Math.Max(1, (int)timeout.TotalSeconds);

    private static (IReadOnlyList<V1ObjectMeta>, string) Typed(IEnumerable<IMetadata<V1ObjectMeta>>? items, V1ListMeta? metadata) =>
        ((items ?? []).Select(i => i.Metadata).ToList(), metadata?.ResourceVersion ?? "0");

    private static (IReadOnlyList<V1ObjectMeta>, string) CustomList(object list)
    {
        var element = (JsonElement)list;
        var items = element.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(i => CustomMetadata(i)).ToList()
            : [];
        var rv = element.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("resourceVersion", out var version) ? version.GetString() : null;
        return (items, rv ?? "0");
    }

    private static V1ObjectMeta CustomMetadata(object obj) =>
        ((JsonElement)obj).TryGetProperty("metadata", out var metadata) ? KubernetesJson.Deserialize<V1ObjectMeta>(metadata.GetRawText()) : new V1ObjectMeta();

    private static async IAsyncEnumerable<(WatchEventType, V1ObjectMeta)> Metadata<T>(IAsyncEnumerable<(WatchEventType, T)> events, Func<T, V1ObjectMeta> metadata)
    {
        await foreach (var (type, obj) in events.ConfigureAwait(false)) yield return (type, metadata(obj) ?? new V1ObjectMeta());
    }
}
