using System.Text.RegularExpressions;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation.Validation;

/// <summary>
/// A caCertificateRef names exactly one ConfigMap or Secret and a data key that can be a file name; the
/// service takes a CA file only for an https endpoint, so an http or empty (AWS) serviceUrl is refused here
/// rather than by pods that stop at start.
/// </summary>
internal static partial class CaCertificateRefRules
{
    private const int MaxNameLength = 253;
    private const int MaxKeyLength = 253;

    /// <param name="section">The spec section holding the reference and the endpoint, e.g. spec.storage.s3.</param>
    public static void Validate(string section, CaCertificateRef ca, string? serviceUrl, List<string> errors)
    {
        var path = section + ".caCertificateRef";
        var configMap = ca.ConfigMapName is { Length: > 0 };
        var secret = ca.SecretName is { Length: > 0 };
        if (configMap == secret)
        {
            errors.Add($"{path} needs exactly one of configMapName (e.g. a trust-manager bundle) and secretName (e.g. cert-manager's ca.crt).");
        }

        foreach (var (field, name) in new[] { ("configMapName", ca.ConfigMapName), ("secretName", ca.SecretName) })
        {
            if (name is { Length: > 0 } && (name.Length > MaxNameLength || !Dns1123Subdomain().IsMatch(name)))
            {
                errors.Add($"{path}.{field} '{name}' is not an object name (a DNS-1123 subdomain of at most {MaxNameLength} characters).");
            }
        }

        if (ca.Key is { } key && (key.Length is 0 or > MaxKeyLength || !DataKey().IsMatch(key) || key.StartsWith("..", StringComparison.Ordinal) || key == "."))
        {
            errors.Add($"{path}.key '{key}' is not a data key (1 to {MaxKeyLength} of letters, digits, '-', '_' and '.', not '.' and not starting with '..').");
        }

        if (!(serviceUrl?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            errors.Add($"{path} needs an https {section}.serviceUrl (the CA is what that endpoint's certificate chains to); it is {(serviceUrl is { Length: > 0 } ? $"'{serviceUrl}'" : "not set (AWS)")}.");
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex DataKey();
}
