using System.Text.Json.Nodes;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation;

/// <summary>
/// The Secrets and ConfigMaps a TusServer's pods read at start: the credentials the spec names, the extraEnv
/// valueFrom sources and the mounted files read once (GCS key, S3 CA bundle). Env vars and those files are read
/// once at start, so a change of their data must roll the pods. The TLS Secret is left out on purpose: it is a
/// mounted volume the upload service re-reads when cert-manager rotates it, without a restart.
/// </summary>
internal static class ReferencedObjects
{
    public static IReadOnlyList<ReferencedObject> Of(TusServerSpec spec)
    {
        var found = new SortedSet<ReferencedObject>();
        foreach (var env in SecretEnvironment.Build(spec).OfType<JsonObject>()) Add(found, env["valueFrom"]);
        foreach (var extra in spec.Pod?.ExtraEnv ?? []) Add(found, extra.ValueFrom);
        // The GCS key file is mounted, but the store reads it once at start: a new key needs new pods.
        if (PodTemplateFactory.GcsKey(spec) is { Name: { } gcsKey }) found.Add(new ReferencedObject(ReferencedObject.Secret, gcsKey));
        // So is the S3 endpoint's CA bundle: the S3 client builds its trust from the file once, at start.
        if (S3CaCertificate.Of(spec.Storage) is { } ca) found.Add(S3CaCertificate.Source(ca));
        return [.. found];
    }

    private static void Add(SortedSet<ReferencedObject> found, JsonNode? valueFrom)
    {
        if ((string?)valueFrom?["secretKeyRef"]?["name"] is { Length: > 0 } secret) found.Add(new ReferencedObject(ReferencedObject.Secret, secret));
        if ((string?)valueFrom?["configMapKeyRef"]?["name"] is { Length: > 0 } configMap) found.Add(new ReferencedObject(ReferencedObject.ConfigMap, configMap));
    }
}
