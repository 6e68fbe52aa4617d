using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace TusCluster.Operator.Kubernetes;

/// <summary>
/// The operator's calls, through KubernetesClient's typed operations where the kind has them and the generic
/// custom-object operations for TusServer and ServiceMonitor. Children are written with server-side apply
/// under one field manager; the builders' manifests are the apply configurations (only the fields we own).
/// </summary>
internal sealed class ClusterApi(IKubernetes client)
{
    public const string FieldManager = "tuscluster-operator";

    public IKubernetes Client => client;

    /// <summary>The TusServer as generic JSON (its typed spec is read by <see cref="Resources.TusServer"/>), or null when gone.</summary>
    public async Task<JsonObject?> GetTusServerAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var kind = ResourceKind.TusServer;
        return await NullIfNotFound(async () => ToJson(await client.CustomObjects
            .GetNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural, name, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
    }

    /// <summary>Writes status through the status subresource (a merge patch: the spec is not touched).</summary>
    public Task PatchTusServerStatusAsync(string ns, string name, JsonObject status, CancellationToken cancellationToken)
    {
        var kind = ResourceKind.TusServer;
        var patch = new V1Patch(new JsonObject { ["status"] = status.DeepClone() }.ToJsonString(), V1Patch.PatchType.MergePatch);
        return client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(patch, kind.Group, kind.Version, ns, kind.Plural, name, cancellationToken: cancellationToken);
    }

    public Task<V1Deployment?> ReadDeploymentAsync(string ns, string name, CancellationToken cancellationToken) =>
        NullIfNotFound(() => client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: cancellationToken));

    /// <summary>A Secret's data, or null when it does not exist.</summary>
    public async Task<IDictionary<string, byte[]>?> ReadSecretDataAsync(string ns, string name, CancellationToken cancellationToken) =>
        (await NullIfNotFound(() => client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false)) is { } secret
            ? secret.Data ?? new Dictionary<string, byte[]>()
            : null;

    /// <summary>A ConfigMap's data and binary data as bytes, or null when it does not exist.</summary>
    public async Task<IDictionary<string, byte[]>?> ReadConfigMapDataAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var configMap = await NullIfNotFound(() => client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (configMap is null) return null;
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in configMap.Data ?? new Dictionary<string, string>()) data[key] = System.Text.Encoding.UTF8.GetBytes(value ?? "");
        foreach (var (key, value) in configMap.BinaryData ?? new Dictionary<string, byte[]>()) data["binary:" + key] = value ?? [];
        return data;
    }

    /// <summary>Server-side apply; force takes over fields another manager set (these objects are ours).</summary>
    public async Task ApplyAsync(JsonObject manifest, CancellationToken cancellationToken)
    {
        var kind = ResourceKind.Of(manifest);
        var ns = (string)manifest["metadata"]!["namespace"]!;
        var name = (string)manifest["metadata"]!["name"]!;
        // JSON is YAML, so the apply-patch+yaml content type takes the JSON text as it is.
        var patch = new V1Patch(manifest.ToJsonString(), V1Patch.PatchType.ApplyPatch);
        const bool force = true;
        switch (kind.Kind)
        {
            case "ConfigMap": await client.CoreV1.PatchNamespacedConfigMapAsync(patch, name, ns, fieldManager: FieldManager, force: force, cancellationToken: cancellationToken).ConfigureAwait(false); break;
            case "Service": await client.CoreV1.PatchNamespacedServiceAsync(patch, name, ns, fieldManager: FieldManager, force: force, cancellationToken: cancellationToken).ConfigureAwait(false); break;
            case "ServiceAccount": await client.CoreV1.PatchNamespacedServiceAccountAsync(patch, name, ns, fieldManager: FieldManager, force: force, cancellationToken: cancellationToken).ConfigureAwait(false); break;
            case "Deployment": await client.AppsV1.PatchNamespacedDeploymentAsync(patch, name, ns, fieldManager: FieldManager, force: force, cancellationToken: cancellationToken).ConfigureAwait(false); break;
            case "PodDisruptionBudget": await client.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(patch, name, ns, fieldManager: FieldManager, force: force, cancellationToken: cancellationToken).ConfigureAwait(false); break;
            case "HorizontalPodAutoscaler": await client.AutoscalingV2.PatchNamespacedHorizontalPodAutoscalerAsync(patch, name, ns, fieldManager: FieldManager, force: force, cancellationToken: cancellationToken).ConfigureAwait(false); break;
            default: await client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, kind.Group, kind.Version, ns, kind.Plural, name, fieldManager: FieldManager, force: force, cancellationToken: cancellationToken).ConfigureAwait(false); break;
        }
    }

    /// <summary>The metadata of an optional child (sweeper Deployment, PDB, HPA, ServiceMonitor), or null when it does not exist.</summary>
    public Task<V1ObjectMeta?> ReadMetadataAsync(ResourceKind kind, string ns, string name, CancellationToken cancellationToken) => NullIfNotFound(async () => kind.Kind switch
    {
        "Deployment" => (await client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false)).Metadata,
        "PodDisruptionBudget" => (await client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false)).Metadata,
        "HorizontalPodAutoscaler" => (await client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false)).Metadata,
        _ => KubernetesJson.Deserialize<V1ObjectMeta>(ToJson(await client.CustomObjects
            .GetNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural, name, cancellationToken).ConfigureAwait(false))["metadata"]!.ToJsonString()),
    });

    /// <summary>Deletes a child only if it is still the object that was read (uid precondition).</summary>
    public async Task DeleteAsync(ResourceKind kind, string ns, string name, string uid, CancellationToken cancellationToken)
    {
        var options = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = uid } };
        switch (kind.Kind)
        {
            case "Deployment": await client.AppsV1.DeleteNamespacedDeploymentAsync(name, ns, options, cancellationToken: cancellationToken).ConfigureAwait(false); break;
            case "PodDisruptionBudget": await client.PolicyV1.DeleteNamespacedPodDisruptionBudgetAsync(name, ns, options, cancellationToken: cancellationToken).ConfigureAwait(false); break;
            case "HorizontalPodAutoscaler": await client.AutoscalingV2.DeleteNamespacedHorizontalPodAutoscalerAsync(name, ns, options, cancellationToken: cancellationToken).ConfigureAwait(false); break;
            default: await client.CustomObjects.DeleteNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural, name, options, cancellationToken: cancellationToken).ConfigureAwait(false); break;
        }
    }

    private static JsonObject ToJson(object obj) => obj is JsonElement element
        ? JsonObject.Create(element) ?? []
        : JsonSerializer.SerializeToNode(obj)?.AsObject() ?? [];

    private static async Task<T?> NullIfNotFound<T>(Func<Task<T>> call)
        where T : class
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
