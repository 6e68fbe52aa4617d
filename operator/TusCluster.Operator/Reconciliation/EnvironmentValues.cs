using System.Globalization;

namespace TusCluster.Operator.Reconciliation;

/// <summary>Writes spec values as TUS__ variables: only set values (the services' defaults apply otherwise), invariant culture, lists as __0, __1...</summary>
internal static class EnvironmentValues
{
    public static void Set(SortedDictionary<string, string> env, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) env[name] = value;
    }

    public static void Set(SortedDictionary<string, string> env, string name, long? value)
    {
        if (value is { } v) env[name] = v.ToString(CultureInfo.InvariantCulture);
    }

    public static void Set(SortedDictionary<string, string> env, string name, bool? value)
    {
        if (value is { } v) env[name] = v ? "true" : "false";
    }

    public static void SetList(SortedDictionary<string, string> env, string prefix, IReadOnlyList<string>? values)
    {
        for (var i = 0; i < (values?.Count ?? 0); i++)
        {
            env[$"{prefix}__{i.ToString(CultureInfo.InvariantCulture)}"] = values![i];
        }
    }
}
