using System.Security.Cryptography;
using System.Text;
using TusCluster.Operator.Kubernetes;

namespace TusCluster.Operator.Reconciliation;

/// <summary>
/// A digest of the data of the Secrets and ConfigMaps a TusServer references (read through the typed API).
/// It goes into the config hash on the pod template, so a rotated credential rolls the pods. A missing object
/// counts as "absent": creating it later changes the digest too. Only the digest leaves this method.
/// </summary>
internal static class ReferencedDataDigest
{
    public static async Task<string> ComputeAsync(ClusterApi api, string ns, IReadOnlyList<ReferencedObject> references, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var reference in references)
        {
            Append(hash, $"{reference.Kind}/{reference.Name}");
            var data = reference.Kind == ReferencedObject.Secret
                ? await api.ReadSecretDataAsync(ns, reference.Name, cancellationToken).ConfigureAwait(false)
                : await api.ReadConfigMapDataAsync(ns, reference.Name, cancellationToken).ConfigureAwait(false);
            if (data is null)
            {
                Append(hash, "absent");
                continue;
            }

            foreach (var (key, value) in data.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Append(hash, key);
                hash.AppendData(BitConverter.GetBytes(value.Length));
                hash.AppendData(value);
            }
        }

        return references.Count == 0 ? "" : Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Append(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        hash.AppendData(BitConverter.GetBytes(bytes.Length));
        hash.AppendData(bytes);
    }
}
