using System.Net;
using System.Text.RegularExpressions;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation.Validation;

/// <summary>spec.server: trusted proxies, and extraConfig keys that are Tus keys not set by another field.</summary>
internal static partial class ServerRules
{
    public static void Validate(TusServerSpec spec, List<string> errors)
    {
        foreach (var proxy in spec.Server?.TrustedProxies ?? [])
        {
            if (!IPNetwork.TryParse(proxy, out _) && !IPAddress.TryParse(proxy, out _))
            {
                errors.Add($"spec.server.trustedProxies entry '{proxy}' is not an IP address or CIDR network.");
            }
        }

        var managed = ServiceConfiguration.ManagedKeys(spec);
        foreach (var key in spec.Server?.ExtraConfig?.Keys ?? Enumerable.Empty<string>())
        {
            if (!ConfigKey().IsMatch(key))
            {
                errors.Add($"spec.server.extraConfig key '{key}' must be a Tus configuration key such as Tus:LockAcquireTimeout.");
            }
            else if (managed.Contains(ServiceConfiguration.ToEnvironmentName(key)))
            {
                errors.Add($"spec.server.extraConfig key '{key}' is set from another spec field; set it there instead.");
            }
        }
    }

    [GeneratedRegex("^Tus(:[A-Za-z0-9_]+)+$")]
    private static partial Regex ConfigKey();
}
