using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation.Validation;

/// <summary>What spec.storage must hold for its provider, and no section of another provider.</summary>
internal static class StorageRules
{
    public static void Validate(TusServerSpec spec, List<string> errors)
    {
        var storage = spec.Storage;
        switch (storage?.Provider)
        {
            case null:
                errors.Add("spec.storage.provider is required (S3, FileSystem, Azure or Gcs).");
                return;
            case "S3":
                if (storage.S3 is null) errors.Add("spec.storage.s3 is required when spec.storage.provider is S3.");
                if (storage.S3?.CaCertificateRef is { } ca) CaCertificateRefRules.Validate("spec.storage.s3", ca, storage.S3.ServiceUrl, errors);
                break;
            case "FileSystem":
                if (storage.FileSystem is null) errors.Add("spec.storage.fileSystem (a PersistentVolumeClaim) is required when spec.storage.provider is FileSystem.");
                break;
            case "Azure":
                if (storage.Azure?.Container is not { Length: > 0 }) errors.Add("spec.storage.azure.container is required when spec.storage.provider is Azure.");
                if ((storage.Azure?.AccountUrl is { Length: > 0 }) == (storage.Azure?.ConnectionStringSecretRef?.Name is { Length: > 0 }))
                {
                    errors.Add("spec.storage.azure needs exactly one of accountUrl (signed in with the pod's Azure identity) and connectionStringSecretRef.");
                }

                break;
            case "Gcs":
                if (storage.Gcs?.Bucket is not { Length: > 0 }) errors.Add("spec.storage.gcs.bucket is required when spec.storage.provider is Gcs.");
                break;
            default:
                errors.Add($"spec.storage.provider '{storage.Provider}' is not supported; use S3, FileSystem, Azure or Gcs.");
                return;
        }

        foreach (var (name, section) in new (string, object?)[] { ("s3", storage.S3), ("fileSystem", storage.FileSystem), ("azure", storage.Azure), ("gcs", storage.Gcs) })
        {
            if (section is not null && !string.Equals(name, storage.Provider, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"spec.storage.{name} is set but spec.storage.provider is {storage.Provider}; remove one of them.");
            }
        }
    }
}
