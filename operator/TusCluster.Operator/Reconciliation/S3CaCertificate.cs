using System.Text.Json.Nodes;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation;

/// <summary>
/// The private CA of the S3 endpoint (spec.storage.s3.caCertificateRef): one key of a ConfigMap or Secret, mounted
/// read-only as a file whose path the store and an S3 coordination get as CaCertificateFile. Only that key is
/// projected: a cert-manager Secret also holds a private key the pods have no use for.
/// </summary>
internal static class S3CaCertificate
{
    private const string VolumeName = "s3-ca";

    /// <summary>The reference when the store is S3 and names a source; the validator has checked there is exactly one.</summary>
    public static CaCertificateRef? Of(StorageSpec? storage) =>
        storage?.Provider == "S3" && storage.S3?.CaCertificateRef is { } ca && (ca.ConfigMapName is { Length: > 0 } || ca.SecretName is { Length: > 0 }) ? ca : null;

    public static string Key(CaCertificateRef ca) => ca.Key ?? OperatorDefaults.CaCertificateKey;

    /// <summary>The CaCertificateFile value, or null when the spec names no CA.</summary>
    public static string? FileOf(StorageSpec? storage) => Of(storage) is { } ca ? $"{OperatorDefaults.S3CaCertificateMountPath}/{Key(ca)}" : null;

    /// <summary>The S3 client reads the file once at start, so a new bundle needs new pods: the source is a referenced object.</summary>
    public static ReferencedObject Source(CaCertificateRef ca) => ca.ConfigMapName is { Length: > 0 } configMap
        ? new ReferencedObject(ReferencedObject.ConfigMap, configMap)
        : new ReferencedObject(ReferencedObject.Secret, ca.SecretName!);

    public static void AddVolume(JsonArray volumes, StorageSpec? storage)
    {
        if (Of(storage) is not { } ca) return;
        var items = new JsonArray(new JsonObject { ["key"] = Key(ca), ["path"] = Key(ca) });
        volumes.Add(ca.ConfigMapName is { Length: > 0 } configMap
            ? new JsonObject { ["name"] = VolumeName, ["configMap"] = new JsonObject { ["name"] = configMap, ["items"] = items } }
            : new JsonObject { ["name"] = VolumeName, ["secret"] = new JsonObject { ["secretName"] = ca.SecretName, ["items"] = items } });
    }

    public static void AddMount(JsonArray mounts, StorageSpec? storage)
    {
        if (Of(storage) is null) return;
        mounts.Add(new JsonObject { ["name"] = VolumeName, ["mountPath"] = OperatorDefaults.S3CaCertificateMountPath, ["readOnly"] = true });
    }
}
