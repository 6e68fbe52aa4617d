using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace TusCluster.Operator.Reconciliation;

/// <summary>
/// A digest of everything the pods read at start-up. It is put on the pod template, so any change of
/// the ConfigMap, of the secret references or of the referenced Secrets' and ConfigMaps' data
/// (<see cref="ReferencedDataDigest"/>) rolls the pods (env vars are only read at start).
/// </summary>
internal static class ConfigHash
{
    public static string Compute(SortedDictionary<string, string> configuration, JsonArray secretEnvironment, string referencedData)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in configuration)
        {
            text.Append(key).Append('=').Append(value).Append('\n');
        }

        text.Append(secretEnvironment.ToJsonString());
        // Empty when nothing is referenced, so the hash of such a spec stays what it was before data was hashed.
        if (referencedData.Length > 0) text.Append('\n').Append(referencedData);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }
}
